"""Why an application or grant step is refused (申请与授权的拒绝原因).

The rules raise `WorkflowRefusal` with a stable code, the input field at fault and a message in
Chinese and English; the GraphQL layer turns it into a payload error. A refusal is raised before
anything is written, so a refused step changes nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ApplicationRefusal(StrEnum):
    """Stable codes of refused application and grant steps."""

    INVALID_INPUT = "INVALID_INPUT"  # malformed input (empty, too long, bad date)
    NOT_FOUND = "NOT_FOUND"  # the scenario, resource, application, grant or letter does not exist
    FIELD_NOT_IN_RESOURCE = "FIELD_NOT_IN_RESOURCE"  # a requested field is not one of the resource's
    FIELDS_NOT_SERVED = "FIELDS_NOT_SERVED"  # no service of the kind exposes the requested fields
    SERVICE_KIND_UNAVAILABLE = "SERVICE_KIND_UNAVAILABLE"  # the resource has no online service of the kind
    NOT_SHARED = "NOT_SHARED"  # 不予共享: refused at submission, with the legal basis
    DUPLICATE_APPLICATION = "DUPLICATE_APPLICATION"  # one scenario, one application (一场景一申请)
    ALREADY_GRANTED = "ALREADY_GRANTED"  # the scenario already holds a live grant on that service
    LETTER_REQUIRED = "LETTER_REQUIRED"  # no commitment letter attached
    LETTER_OF_OTHER_AGENCY = "LETTER_OF_OTHER_AGENCY"  # the letter was uploaded by another agency
    LETTER_EMPTY = "LETTER_EMPTY"  # the uploaded file has no bytes
    LETTER_TOO_LARGE = "LETTER_TOO_LARGE"  # over the size cap
    LETTER_TYPE = "LETTER_TYPE"  # not a PDF, PNG or JPEG
    INVALID_STATE = "INVALID_STATE"  # the step does not apply in the current state
    REASON_REQUIRED = "REASON_REQUIRED"  # a rejection, dispute, refusal, suspension or termination needs its reason
    FIELDS_NOT_REQUESTED = "FIELDS_NOT_REQUESTED"  # approved fields must be among the requested ones
    GRANT_EXPIRED = "GRANT_EXPIRED"  # the grant is past its validUntil date
    WRITE_FAILED = "WRITE_FAILED"  # the store refused the write; nothing was written


class WorkflowRefusal(Exception):
    """A refused step: nothing was written."""

    def __init__(self, code: ApplicationRefusal, field: str | None, zh: str, en: str, **details: Any) -> None:
        super().__init__(en)
        self.code = code
        self.field = field
        self.message_zh = zh
        self.message_en = en
        self.details = details
