"""Problems found in a catalog file (导入问题), listed all at once; any one rejects the file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One invalid cell or row: where it is and why, in Chinese and English.

    For JSON files `sheet` names the list (`resources`), `row` is the 1-based position in
    it and `column` the key (`resources[3].fields[2].dataType` style paths go in `column`).
    For XLSX files `row` is the worksheet row number (the header is row 1).
    """

    file: str
    sheet: str
    row: int | None
    column: str | None
    code: str  # stable, e.g. REQUIRED, BAD_ENUM, UNKNOWN_REFERENCE, DUPLICATE_CODE
    reason_zh: str
    reason_en: str

    def __str__(self) -> str:
        where = f"{self.file} · {self.sheet}"
        if self.row is not None:
            where += f" · 第{self.row}行 row {self.row}"
        if self.column:
            where += f" · {self.column}"
        return f"{where}: [{self.code}] {self.reason_zh} / {self.reason_en}"


class InvalidCatalogFile(Exception):
    """A catalog file was rejected; `problems` lists every reason (文件被拒绝)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in catalog file")
