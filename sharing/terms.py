"""The controlled vocabulary of the catalog, each term with its Chinese label (术语与枚举).

The English codes are what the API and the JSON format carry; the Chinese labels are what
the platform's workbook and the people reading it use. Both are accepted on import.
"""

from __future__ import annotations

from enum import StrEnum


class Term(StrEnum):
    """An enumeration whose members carry a Chinese label."""

    @property
    def label_zh(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def parse(cls, text: str) -> Term:
        """The member named by its English code or its Chinese label; ValueError otherwise."""
        cleaned = text.strip()
        upper = cleaned.upper()
        for member in cls:
            if upper == member.value or cleaned == member.label_zh:
                return member
        for member in cls:
            if cleaned in _ALIASES.get(f"{cls.__name__}.{member.value}", ()):
                return member
        raise ValueError(cleaned)

    @classmethod
    def choices(cls) -> str:
        return ", ".join(f"{m.value} {m.label_zh}" for m in cls)


class Level(Term):
    """Administrative level (层级), R13."""

    PROVINCE = "PROVINCE"
    CITY = "CITY"
    COUNTY = "COUNTY"


class ContactRole(Term):
    """An agency's contact roles (联系人角色), R5."""

    CHIEF_REPRESENTATIVE = "CHIEF_REPRESENTATIVE"
    RESPONSIBLE_LEADER = "RESPONSIBLE_LEADER"
    LIAISON = "LIAISON"


class ResourceFormat(Term):
    """The form a resource's data takes (信息资源格式)."""

    DATABASE = "DATABASE"
    FILE = "FILE"
    INTERFACE = "INTERFACE"
    OTHER = "OTHER"


class SharingType(Term):
    """Sharing attribute (共享类型), R3. Ordered from most to least open."""

    UNCONDITIONAL = "UNCONDITIONAL"
    CONDITIONAL = "CONDITIONAL"
    NOT_SHARED = "NOT_SHARED"


class UpdateCycle(Term):
    """How often a resource is updated (更新周期)."""

    REALTIME = "REALTIME"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    YEARLY = "YEARLY"
    IRREGULAR = "IRREGULAR"


class DataType(Term):
    """A field's data type (数据类型)."""

    STRING = "STRING"
    INTEGER = "INTEGER"
    DECIMAL = "DECIMAL"
    DATE = "DATE"
    DATETIME = "DATETIME"
    BOOLEAN = "BOOLEAN"
    BINARY = "BINARY"


class ServiceKind(Term):
    """How a data service shares (服务类型), R8."""

    INTERFACE_QUERY = "INTERFACE_QUERY"
    INTERFACE_VERIFY = "INTERFACE_VERIFY"
    BATCH_ANALYSIS = "BATCH_ANALYSIS"
    BATCH_EXPORT = "BATCH_EXPORT"


class ServiceStatus(Term):
    """A data service's state (服务状态), R8."""

    PUBLISHED = "PUBLISHED"
    CHANGED = "CHANGED"
    OFFLINE = "OFFLINE"


class GrantStatus(Term):
    """A grant's state (授权状态), R11."""

    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"
    EXPIRED = "EXPIRED"


class ProjectStage(Term):
    """An IT project's stage (项目阶段), R12."""

    PLANNED = "PLANNED"
    APPROVED = "APPROVED"
    BUILDING = "BUILDING"
    ACCEPTANCE = "ACCEPTANCE"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


class ApprovalPath(Term):
    """How a consumer gets a resource's data (获取方式), R3 and R10."""

    DIRECT = "DIRECT"  # unconditional: obtained directly
    PROVIDER_REVIEW = "PROVIDER_REVIEW"  # conditional: the provider reviews within 2 working days
    NOT_SHARED = "NOT_SHARED"  # not shared: only with a legal basis, not through the platform


class DemandStatus(Term):
    """A demand-list entry's state (需求状态), R9."""

    OPEN = "OPEN"
    RESPONDED = "RESPONDED"
    CLOSED = "CLOSED"


class ApplicationStatus(Term):
    """An application's state (申请状态), R10: review, rejection, dispute, negotiation."""

    PENDING_REVIEW = "PENDING_REVIEW"  # awaiting the provider's (or the bureau's) review
    APPROVED = "APPROVED"  # granted: directly, on review or by the negotiation's decision
    REJECTED = "REJECTED"  # rejected with legal reasons; the applicant may dispute
    DISPUTED = "DISPUTED"  # the applicant disputes the rejection; the bureau is to negotiate
    NEGOTIATING = "NEGOTIATING"  # the bureau has opened a negotiation
    REFUSED = "REFUSED"  # finally refused by the negotiation's decision


class ReviewPath(Term):
    """Who decides an application (审核路径), R10."""

    DIRECT = "DIRECT"  # unconditional data: granted at once
    PROVIDER_REVIEW = "PROVIDER_REVIEW"  # conditional, same level: the provider's chief representative
    BUREAU_REVIEW = "BUREAU_REVIEW"  # conditional, across levels: the bureau of the provider's level


class UncoveredReason(Term):
    """Why a demanded item is not covered by the catalog (未覆盖原因)."""

    NOT_IN_CATALOG = "NOT_IN_CATALOG"  # no confident match: no catalog entry yet (R9)
    NOT_SHARED = "NOT_SHARED"  # catalogued, but only under 不予共享 (R3)


class ProviderBasis(Term):
    """Why an agency is named as the likely holder of an item (推断依据)."""

    NOT_SHARED_RESOURCE = "NOT_SHARED_RESOURCE"  # it holds the item in a not-shared resource
    AUTHORITY = "AUTHORITY"  # it is the item's authoritative source department
    SIMILAR_FIELDS = "SIMILAR_FIELDS"  # it holds fields with similar names


_LABELS: dict[str, dict[str, str]] = {
    "Level": {"PROVINCE": "省级", "CITY": "市级", "COUNTY": "县级"},
    "ContactRole": {
        "CHIEF_REPRESENTATIVE": "首席代表",
        "RESPONSIBLE_LEADER": "分管负责人",
        "LIAISON": "联络人",
    },
    "ResourceFormat": {"DATABASE": "数据库", "FILE": "文件", "INTERFACE": "接口", "OTHER": "其他"},
    "SharingType": {
        "UNCONDITIONAL": "无条件共享",
        "CONDITIONAL": "有条件共享",
        "NOT_SHARED": "不予共享",
    },
    "UpdateCycle": {
        "REALTIME": "实时",
        "DAILY": "每日",
        "WEEKLY": "每周",
        "MONTHLY": "每月",
        "QUARTERLY": "每季度",
        "YEARLY": "每年",
        "IRREGULAR": "不定期",
    },
    "DataType": {
        "STRING": "字符型",
        "INTEGER": "整数型",
        "DECIMAL": "数值型",
        "DATE": "日期型",
        "DATETIME": "日期时间型",
        "BOOLEAN": "布尔型",
        "BINARY": "二进制",
    },
    "ServiceKind": {
        "INTERFACE_QUERY": "接口查询",
        "INTERFACE_VERIFY": "接口核验",
        "BATCH_ANALYSIS": "批量分析",
        "BATCH_EXPORT": "批量导出",
    },
    "ServiceStatus": {"PUBLISHED": "已发布", "CHANGED": "已变更", "OFFLINE": "已下线"},
    "GrantStatus": {"ACTIVE": "有效", "SUSPENDED": "已暂停", "TERMINATED": "已终止", "EXPIRED": "已过期"},
    "ProjectStage": {
        "PLANNED": "规划",
        "APPROVED": "立项",
        "BUILDING": "建设",
        "ACCEPTANCE": "验收中",
        "ACCEPTED": "已验收",
        "REJECTED": "不予验收",
    },
    "ApprovalPath": {
        "DIRECT": "直接获取",
        "PROVIDER_REVIEW": "提供方审核（2个工作日）",
        "NOT_SHARED": "不予共享",
    },
    "DemandStatus": {"OPEN": "待响应", "RESPONDED": "已响应", "CLOSED": "已办结"},
    "ApplicationStatus": {
        "PENDING_REVIEW": "待审核",
        "APPROVED": "已授权",
        "REJECTED": "已驳回",
        "DISPUTED": "异议待协商",
        "NEGOTIATING": "协商中",
        "REFUSED": "最终不予授权",
    },
    "ReviewPath": {
        "DIRECT": "直接获取",
        "PROVIDER_REVIEW": "提供方首席代表审核",
        "BUREAU_REVIEW": "大数据局审核（跨层级）",
    },
    "UncoveredReason": {"NOT_IN_CATALOG": "目录中暂无", "NOT_SHARED": "不予共享"},
    "ProviderBasis": {
        "NOT_SHARED_RESOURCE": "持有该项（不予共享）",
        "AUTHORITY": "权威来源部门",
        "SIMILAR_FIELDS": "持有相近信息项",
    },
}

# Other spellings met in real workbooks.
_ALIASES: dict[str, tuple[str, ...]] = {
    "ServiceKind.INTERFACE_VERIFY": ("校核比对", "接口核验(校核比对)", "接口核验（校核比对）"),
    "Level.PROVINCE": ("省",),
    "Level.CITY": ("市",),
    "Level.COUNTY": ("县", "区县级", "县区级"),
    "DataType.STRING": ("字符串",),
    "DataType.DECIMAL": ("小数型", "浮点型"),
    "DataType.INTEGER": ("整型",),
}
