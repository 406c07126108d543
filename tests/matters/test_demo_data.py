from io import StringIO

import pytest
from django.core.management import call_command

from matters.choices import ProposalStage, Satisfaction
from matters.models import Instruction, Meeting, Proposal, ProposalAnswer
from tasks.models import Task

pytestmark = pytest.mark.django_db


def test_demo_data_makes_items_of_every_source():
    out = StringIO()
    call_command("generate_demo_data", tasks=100, departments=10, seed=3, inspections=0, matters=20, stdout=out)
    assert Instruction.objects.exists() and Meeting.objects.exists() and Proposal.objects.count() == 10
    assert all(meeting.items.count() >= 2 for meeting in Meeting.objects.all())
    assert ProposalAnswer.objects.filter(countersigns__isnull=False).exists()
    assert Proposal.objects.filter(stage=ProposalStage.CLOSED).exists()
    assert ProposalAnswer.objects.filter(satisfaction=Satisfaction.UNSATISFIED).exists()
    assert Task.objects.filter(plan__source="meeting").count() == sum(m.items.count() for m in Meeting.objects.all())
    assert "件建议提案" in out.getvalue()
