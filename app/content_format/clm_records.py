"""The records CLM content may create while it is presented, and how they are kept.

Content written for the market's CLM player saves what the doctor did on a slide through
`createRecord(object, values)`: a click-stream record (`Call_Clickstream_vod__c`), or the
survey objects of the same library, a survey target (`Survey_Target_vod__c`) and a question's
response (`Question_Response_vod__c`). The player keeps each as one click-stream row: the
fields the product reads (the tracked element, the question and its answer, the time spent)
in their columns, and every other field the slide gave, as it gave it, in `other_fields` — so
that nothing a slide records is lost, whatever its agency added (`Usage_Start_Time_vod__c`,
a survey's id, a score). Any other object (an Account, a Call) is the CRM's own data, never a
slide's to write: refused with the library's error result.

Free of Qt and of the store: the laptop's presenter maps with it, and the server's model sizes
its column with the same limit, so a row the laptop makes is one the server takes.
"""

from __future__ import annotations

import json
from typing import Any

CLICKSTREAM = "Call_Clickstream_vod__c"

#: The objects a slide may create, by the lower-case name content calls them, with the name
#: the row keeps. Our own short name `clickstream` is accepted as the market's click-stream.
OBJECTS = {
    "call_clickstream_vod__c": "Call_Clickstream_vod__c",
    "clickstream": "Call_Clickstream_vod__c",
    "survey_target_vod__c": "Survey_Target_vod__c",
    "question_response_vod__c": "Question_Response_vod__c",
}

#: Per object, the CLM fields kept in our columns. A survey response's question and answer
#: are the click-stream's, so the record reads the same in the history and the export.
_COMMON = {
    "Track_Element_Id_vod__c": "track_element_id",
    "Track_Element_Type_vod__c": "track_element_type",
    "Track_Element_Description_vod__c": "track_element_description",
    "Question_vod__c": "question",
    "Answer_vod__c": "answer",
    "Usage_Duration_vod__c": "usage_duration_s",
}
COLUMNS = {
    "Call_Clickstream_vod__c": _COMMON,
    "Survey_Target_vod__c": _COMMON,
    "Question_Response_vod__c": {**_COMMON, "Question_Text_vod__c": "question",
                                 "Response_vod__c": "answer"},
}

#: At most this many other fields, each name and value at most these lengths; the JSON of
#: them fits OTHER_FIELDS_MAX characters (the column's size on both stores).
MAX_OTHER_FIELDS = 40
MAX_NAME = 80
MAX_VALUE = 300
OTHER_FIELDS_MAX = 16_000


def object_of(name: object) -> str | None:
    """The object a slide names, as the row keeps it; None for one it may not create."""
    return OBJECTS.get(str(name).strip().lower())


def split(object_name: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The record's fields for our columns (as our column names) and its other fields.

    Our own column names are accepted too (the player's simpler bridge call uses them). A
    value is kept as text; a number or flag as its JSON text; a nested object as its JSON.
    Names and values are clipped, and beyond MAX_OTHER_FIELDS the rest are dropped: a slide
    cannot fill the laptop's disk through one record.
    """
    mapping = COLUMNS[object_name]
    ours = set(_COMMON.values())
    columns: dict[str, Any] = {}
    other: dict[str, str] = {}
    for key, value in values.items():
        name = str(key)
        column = mapping.get(name) or (name if name in ours else None)
        if value is None:
            continue
        if column is not None:
            columns[column] = value
        elif len(other) < MAX_OTHER_FIELDS:
            other[name[:MAX_NAME]] = _text(value)[:MAX_VALUE]
    if "usage_duration_s" in columns:
        try:
            columns["usage_duration_s"] = max(0, int(float(columns["usage_duration_s"])))
        except (TypeError, ValueError, OverflowError):
            del columns["usage_duration_s"]
    for column in ("track_element_id", "track_element_type", "track_element_description",
                   "question", "answer"):
        if column in columns:
            columns[column] = _text(columns[column])  # clipped by the capture, as typed text
    return columns, other


def merged(stored: str | None, changes: dict[str, str]) -> str | None:
    """The other fields a record keeps after an update: the stored ones, changed by
    `changes`, still within the limits. None when there are none."""
    fields = loads(stored)
    for name, value in changes.items():
        if name in fields or len(fields) < MAX_OTHER_FIELDS:
            fields[name] = value
    return dumps(fields)


def dumps(fields: dict[str, str]) -> str | None:
    """The fields as the column keeps them; the last ones dropped if escaping made them
    longer than the column (a value of control characters grows sixfold)."""
    fields = dict(fields)
    while fields:
        text = json.dumps(fields, ensure_ascii=False, sort_keys=True)
        if len(text) <= OTHER_FIELDS_MAX:
            return text
        fields.pop(sorted(fields)[-1])
    return None


def loads(text: str | None) -> dict[str, str]:
    """Stored other fields; a value that is no JSON object (a row from elsewhere) reads as
    none rather than breaking the screen that shows it."""
    if not text:
        return {}
    try:
        fields = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
