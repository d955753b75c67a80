"""The sharing rules of the notice (R1–R14): terms, catalog rules, workflows, deadlines.

共享规则：术语、目录规则、工作流程与期限。Neither GraphQL nor a store owns them.
"""
