from rest_framework import serializers

from ..models import Countersign, Instruction, Meeting, MeetingItem, Proposal, ProposalAnswer


class InstructionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="task.code", read_only=True, default="")

    class Meta:
        model = Instruction
        fields = [
            "id",
            "task",
            "code",
            "leader_name",
            "leader_post",
            "instructed_on",
            "kind",
            "content",
            "requirements",
            "feedback_due",
            "registered_at",
        ]


class MeetingItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="task.code", read_only=True)
    title = serializers.CharField(source="task.title", read_only=True)

    class Meta:
        model = MeetingItem
        fields = ["order", "task", "code", "title"]


class MeetingSerializer(serializers.ModelSerializer):
    items = MeetingItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "name", "kind", "session", "held_on", "items", "registered_at"]


class CountersignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Countersign
        fields = ["department", "opinion", "signed_at"]


class AnswerSerializer(serializers.ModelSerializer):
    countersigns = CountersignSerializer(many=True, read_only=True)

    class Meta:
        model = ProposalAnswer
        fields = ["round", "text", "category", "sent_at", "satisfaction", "satisfaction_note", "countersigns"]


class ProposalSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="task.code", read_only=True)
    title = serializers.CharField(source="task.title", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "task",
            "code",
            "title",
            "kind",
            "year",
            "number",
            "proposer",
            "stage",
            "round",
            "satisfaction",
            "answers",
        ]
