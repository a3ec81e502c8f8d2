"""labels sits below the domain apps; accounts names the roles for it at start-up."""

from django.utils import translation

from kapclinic.labels import KINDS, label


def test_accounts_names_every_role_in_the_readers_language() -> None:
    from kapclinic.accounts.roles import Role

    assert set(KINDS["role"]) == set(Role.values)
    assert label("privacy_officer", "role") == "Privacy officer"
    with translation.override("fr"):
        assert label("privacy_officer", "role") == str(Role.PRIVACY_OFFICER.label)
        assert label("privacy_officer", "role") != "Privacy officer"
