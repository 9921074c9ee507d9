"""SARIF 2.1.0 report, built from the whole run (one run, one invocation).

Rules come from the rule set (plus any code a finding uses that the set does
not list); each finding becomes a result with one location per Location;
unreadable documents become tool execution notifications, not results.
"""
from __future__ import annotations

import json
from pathlib import PureWindowsPath
from typing import Mapping, Optional, Sequence

from budgetaudit import __version__
from budgetaudit.model import DocumentResult, Finding, Location, RuleMeta
from budgetaudit.report import (
    ReportOptions,
    decimal_text,
    message_text,
    sort_findings,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# Characters that would end or break a URI reference; everything else (CJK too)
# is kept as given so paths stay readable (IRI style).
_URI_ESCAPES = {" ": "%20", "%": "%25", "#": "%23", "?": "%3F"}


def render(
    results: Sequence[DocumentResult],
    rules: Mapping[str, RuleMeta],
    options: ReportOptions,
) -> str:
    rule_ids = rule_order(results, rules)
    run = {
        "tool": {"driver": driver(rule_ids, rules)},
        "invocations": [invocation(results)],
        "results": [
            result_dict(finding, document.path, rule_ids, options.lang)
            for document in results
            for finding in sort_findings(document.findings)
        ],
    }
    log = {"$schema": SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def rule_order(results: Sequence[DocumentResult], rules: Mapping[str, RuleMeta]) -> list[str]:
    """Rule ids for ``driver.rules``: the rule set's, then unknown ones found."""
    ids = list(rules)
    for document in results:
        for finding in document.findings:
            if finding.rule not in ids:
                ids.append(finding.rule)
    return ids


def driver(rule_ids: list[str], rules: Mapping[str, RuleMeta]) -> dict:
    return {
        "name": "budgetaudit",
        "version": __version__,
        "rules": [rule_dict(code, rules.get(code)) for code in rule_ids],
    }


def rule_dict(code: str, meta: Optional[RuleMeta]) -> dict:
    if meta is None:
        return {"id": code, "name": code, "shortDescription": {"text": code}}
    rule = {
        "id": meta.code,
        "name": meta.title_en or meta.title,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.description or meta.title},
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
    }
    help_text = rule_help(meta)
    if help_text:
        rule["help"] = {"text": help_text}
    if meta.title_en:
        rule["properties"] = {"title_en": meta.title_en}
    return rule


def rule_help(meta: RuleMeta) -> str:
    parts = []
    if meta.example_pass:
        parts.append(f"通过示例：{meta.example_pass}")
    if meta.example_fail:
        parts.append(f"未通过示例：{meta.example_fail}")
    return "\n".join(parts)


def invocation(results: Sequence[DocumentResult]) -> dict:
    notes = [notification(r) for r in results if r.error is not None]
    return {"executionSuccessful": not notes, "toolExecutionNotifications": notes}


def notification(result: DocumentResult) -> dict:
    return {
        "level": "error",
        "message": {"text": f"无法读取：{result.error}"},
        "descriptor": {"id": "INPUT"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path_uri(result.path)}}}],
    }


def result_dict(finding: Finding, path: str, rule_ids: list[str], lang: str) -> dict:
    locations = finding.locations or (Location(),)
    result = {
        "ruleId": finding.rule,
        "ruleIndex": rule_ids.index(finding.rule),
        "level": LEVELS[finding.severity],
        "message": {"text": message_text(finding, lang)},
        "locations": [location_dict(location, path) for location in locations],
    }
    properties = result_properties(finding)
    if properties:
        result["properties"] = properties
    return result


def result_properties(finding: Finding) -> dict:
    """Typed evidence SARIF has no field for: amounts as Decimal strings."""
    properties = {
        "expected": decimal_text(finding.expected),
        "actual": decimal_text(finding.actual),
        "message_en": finding.message_en,
    }
    properties.update({str(k): str(v) for k, v in finding.extra.items()})
    return {key: value for key, value in properties.items() if value is not None}


def location_dict(location: Location, path: str) -> dict:
    physical: dict = {"artifactLocation": {"uri": path_uri(path)}}
    if location.line is not None:
        physical["region"] = {"startLine": location.line}
    result: dict = {"physicalLocation": physical}
    logical = logical_location(location)
    if logical:
        result["logicalLocations"] = [logical]
    if location.page is not None:
        result["properties"] = {"page": location.page}
    return result


def logical_location(location: Location) -> Optional[dict]:
    """One logical location for the innermost of table / row / column."""
    named = (("table", location.table), ("row", location.row), ("column", location.column))
    parts = [(kind, name) for kind, name in named if name]
    if not parts:
        return None
    kind, name = parts[-1]
    return {
        "name": name,
        "fullyQualifiedName": "/".join(name for _, name in parts),
        "kind": kind,
    }


def path_uri(path: str) -> str:
    """The path as given (relative stays relative), with forward slashes."""
    posix = PureWindowsPath(path).as_posix() if "\\" in path else path
    return "".join(_URI_ESCAPES.get(char, char) for char in posix)
