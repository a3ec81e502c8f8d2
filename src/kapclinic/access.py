"""The one rule for object ids under a parent: a child is loaded through its parent.

A URL such as /patients/<patient>/safety/<flag>/review/ names two objects. The parent is
opened first by its app's access function (access_patient, access_referral, access_clinic,
access_session: who may see it); the child is then looked up *within* that parent here, so a
child id copied from another patient, referral or clinic is not found, exactly like an id
that does not exist (NotFound, shown as 404: no hint that it exists elsewhere).

Services that take a child id call this too, so that no caller can skip the rule.
"""

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from kapclinic.errors import NotFound


def _as_id(raw: object) -> int | None:
    """An id from a URL, a form or a service argument; None when it cannot be one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw < 2**63 else None
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text) or None


def child_of[M: Model](
    parent: Model,
    children: QuerySet[M] | type[M],
    child_id: object,
    *,
    via: str = "",
    missing: str = "",
) -> M:
    """The child `child_id` of `parent` (already opened through its access function).

    `children` is the child model or a queryset of it (with select_for_update or
    select_related as the caller needs); `via` names the child's field pointing at the
    parent (by default the parent model's name: patient, referral, clinic, session, ...).
    NotFound when the id is malformed, missing, or belongs to another parent."""
    queryset = children if isinstance(children, QuerySet) else children._default_manager.all()
    pk = _as_id(child_id)
    field = via or str(parent._meta.model_name)
    found = queryset.filter(pk=pk, **{field: parent}).first() if pk and parent.pk else None
    if found is None:
        raise NotFound(missing or _("No such record was found."))
    return found
