import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def admin_client(client, partner_admin):
    client.force_login(partner_admin)
    return client


@pytest.fixture
def admin_api(api, partner_admin):
    api.force_authenticate(partner_admin)
    return api
