from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "matters"
    verbose_name = "督办事项"

    def ready(self):
        from tasks import sources
        from tasks.choices import TaskSource

        from .api.serializers import InstructionSerializer, MeetingSerializer, ProposalSerializer
        from .models import Instruction, Meeting, Proposal

        def one(model, serializer, *, by: str):
            def facts(task):
                record = model.objects.filter(**{by: task}).first()
                return serializer(record).data if record else None

            return facts

        sources.register(TaskSource.INSTRUCTION, one(Instruction, InstructionSerializer, by="task"))
        sources.register(TaskSource.MEETING, one(Meeting, MeetingSerializer, by="items__task"))
        sources.register(TaskSource.PROPOSAL, one(Proposal, ProposalSerializer, by="task"))
