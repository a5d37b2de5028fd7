import pytest


@pytest.fixture(autouse=True)
def _public_pages_count_confirmed_gifts(reviewed_gifts):
    """Relief pages show directed and raised money as the public sees it, confirmed only: the
    gifts these tests make are confirmed unless a test asks for a pending one."""
