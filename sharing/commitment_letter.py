"""The data-use commitment letter (公共数据规范使用承诺书), R11.

A consumer agency signs the letter and uploads it (a scan as PDF, PNG or JPEG); an application
cannot be submitted without one. The file is kept with its SHA-256 so anyone can check later that
the letter on record is the one signed.

The bytes live in the graph itself (base64 in a property of the `CommitmentLetter` node, at most
MAX_LETTER_BYTES), not in the data directory: the letter then commits in the same transaction as
its audit entry, on the embedded store and on Neo4j alike, and a Neo4j deployment with several
application servers needs no shared disk. The cap keeps a node small enough for both backends.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from graph.model import Label, Node, PropValue
from sharing.application_errors import ApplicationRefusal as Code
from sharing.application_errors import WorkflowRefusal

MAX_LETTER_BYTES = 2 * 1024 * 1024  # 2 MiB: a scanned, signed page or two
MAX_FILE_NAME = 200

# File signatures (magic numbers) of the accepted types; the declared content type is not trusted.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True, slots=True)
class LetterFile:
    """An uploaded file, checked: its bytes, the type its signature shows, its digest."""

    file_name: str
    content: bytes
    content_type: str
    sha256: str


def decode_base64(text: str) -> bytes:
    """The bytes of a base64 upload (GraphiQL users who cannot send multipart)."""
    cleaned = "".join(text.split())
    if cleaned.startswith("data:") and "," in cleaned:  # a data: URL as browsers make them
        cleaned = cleaned.split(",", 1)[1]
    if len(cleaned) > (MAX_LETTER_BYTES * 4) // 3 + 8:
        raise _too_large()
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise WorkflowRefusal(
            Code.INVALID_INPUT, "contentBase64", "文件内容不是有效的 base64 编码",
            "the file content is not valid base64",
        ) from None


def check_letter(file_name: str, content: bytes) -> LetterFile:
    """The file as a letter, or a refusal: empty, over the cap, or not a PDF or image."""
    name = file_name.strip() or "commitment-letter"
    if len(name) > MAX_FILE_NAME:
        raise WorkflowRefusal(
            Code.INVALID_INPUT, "fileName", f"文件名过长（最多 {MAX_FILE_NAME} 个字符）",
            f"file name too long (at most {MAX_FILE_NAME} characters)",
        )
    if not content:
        raise WorkflowRefusal(Code.LETTER_EMPTY, "file", "承诺书文件为空", "the commitment letter file is empty")
    if len(content) > MAX_LETTER_BYTES:
        raise _too_large()
    content_type = next((t for sig, t in _SIGNATURES if content.startswith(sig)), None)
    if content_type is None:
        raise WorkflowRefusal(
            Code.LETTER_TYPE, "file", "承诺书须为 PDF 或图片（PNG、JPEG）扫描件",
            "the commitment letter must be a PDF or an image (PNG, JPEG)",
        )
    return LetterFile(name, content, content_type, hashlib.sha256(content).hexdigest())


def _too_large() -> WorkflowRefusal:
    return WorkflowRefusal(
        Code.LETTER_TOO_LARGE, "file",
        f"承诺书文件过大（最多 {MAX_LETTER_BYTES // (1024 * 1024)} MiB）",
        f"the commitment letter is too large (at most {MAX_LETTER_BYTES // (1024 * 1024)} MiB)",
        maxBytes=MAX_LETTER_BYTES,
    )


def letter_node(letter: LetterFile, agency_code: str, person: str | None, at: datetime) -> Node:
    key = f"CL-{at:%Y%m%d}-{uuid.uuid4().hex[:12]}"
    return Node(
        Label.COMMITMENT_LETTER,
        key,
        {
            "fileName": letter.file_name,
            "contentType": letter.content_type,
            "size": len(letter.content),
            "sha256": letter.sha256,
            "content": base64.b64encode(letter.content).decode("ascii"),
            "agencyCode": agency_code,
            "uploadedBy": person,
            "uploadedAt": at.isoformat(),
        },
    )


def described(props: Mapping[str, PropValue]) -> dict[str, PropValue]:
    """A letter's properties without its bytes (for audit snapshots)."""
    return {k: v for k, v in props.items() if k != "content"}
