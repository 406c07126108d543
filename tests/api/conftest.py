import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.choices import Role
from departments.services import member_set
from tasks.models import Task
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def api(demo_users):
    """An API client holding the token of a demo account (None: no credentials at all)."""

    def as_user(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return as_user


@pytest.fixture
def minzheng(demo_users, dept):
    """Staff of 区民政局, which leads 中站 二、(一) with 区发改委 co-operating."""
    return member_set(username="minzheng", department=dept("区民政局"), role=Role.STAFF, password=DEMO_PASSWORD)


@pytest.fixture
def bianwei_task(db) -> Task:
    """中站 一、(一): led by 区编委办 alone (staff, head), unseen by 区发改委 (staff2)."""
    return Task.objects.get(plan__slug="zhongzhan-2014", parent__number="一、", number="(一)")


@pytest.fixture
def minzheng_task(db) -> Task:
    return Task.objects.get(plan__slug="zhongzhan-2014", parent__number="二、", number="(一)")
