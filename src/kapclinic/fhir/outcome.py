"""FHIR errors: every refusal is an OperationOutcome with the status that says why."""

from typing import Any

# FHIR R4 issue-type codes (http://hl7.org/fhir/R4/valueset-issue-type.html) by HTTP status.
ISSUE_TYPE = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    410: "deleted",
    413: "too-costly",
    415: "not-supported",
    422: "processing",
    429: "throttled",
}


class FhirError(Exception):
    """A request the API refuses: its HTTP status and a sentence for the client."""

    def __init__(
        self,
        status: int,
        diagnostics: str,
        *,
        expression: str = "",
        problems: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.diagnostics = diagnostics
        self.expression = expression
        self.problems = problems or []


def operation_outcome(
    status: int,
    diagnostics: str,
    *,
    expression: str = "",
    severity: str = "error",
    problems: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """One issue, or one per (where, what) problem when a resource fails field by field."""
    code = ISSUE_TYPE.get(status, "processing" if status >= 400 else "informational")
    issues = [
        {"severity": severity, "code": code, "diagnostics": what, "expression": [where]}
        for where, what in problems or []
    ]
    if not issues:
        issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
        if expression:
            issue["expression"] = [expression]
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}
