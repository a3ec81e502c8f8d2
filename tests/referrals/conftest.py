from typing import Any

import pytest


@pytest.fixture
def referrer(network: dict[str, Any]) -> Any:
    return network["referrer_profile"]


@pytest.fixture
def run_worker() -> Any:
    """Run the queued tasks that are due, in order, as `kapclinic worker` would.

    (db_worker itself closes database connections, which would end the test's transaction.)
    """
    from django_tasks_db.models import DBTaskResult

    def run() -> list[Any]:
        due = DBTaskResult.objects.ready()  # READY and due (no run_after, or passed)
        return [row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) for row in due]

    return run
