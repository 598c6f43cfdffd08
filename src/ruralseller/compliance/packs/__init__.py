"""The built-in rule packs: CN, EU and US.

Load them through :func:`~ruralseller.compliance.rule_pack`.
"""
