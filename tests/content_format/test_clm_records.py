"""The records CLM content creates: which objects, which fields go where, and the limits a
hostile slide meets."""

from __future__ import annotations

import json

import pytest

from app.content_format import clm_records


@pytest.mark.parametrize("name, kept", [
    ("Call_Clickstream_vod__c", "Call_Clickstream_vod__c"),
    ("call_clickstream_vod__c", "Call_Clickstream_vod__c"),
    ("clickstream", "Call_Clickstream_vod__c"),
    ("Survey_Target_vod__c", "Survey_Target_vod__c"),
    ("QUESTION_RESPONSE_VOD__C", "Question_Response_vod__c"),
    ("Account", None), ("Call2_vod__c", None), ("", None), (None, None), (7, None)])
def test_a_slide_creates_only_click_stream_and_survey_records(name: object,
                                                              kept: str | None) -> None:
    assert clm_records.object_of(name) == kept


def test_every_field_is_kept_in_a_column_or_beside_them() -> None:
    columns, other = clm_records.split("Call_Clickstream_vod__c", {
        "Track_Element_Id_vod__c": "btn", "Track_Element_Description_vod__c": "Dose 10 mg",
        "Usage_Duration_vod__c": "7.9", "Usage_Start_Time_vod__c": "2026-12-07T10:00:00Z",
        "Custom__c": {"a": 1}, "Flag__c": True, "Empty__c": None})
    assert columns == {"track_element_id": "btn", "track_element_description": "Dose 10 mg",
                       "usage_duration_s": 7}
    assert other == {"Usage_Start_Time_vod__c": "2026-12-07T10:00:00Z",
                     "Custom__c": '{"a": 1}', "Flag__c": "true"}


def test_a_survey_response_reads_as_question_and_answer() -> None:
    columns, other = clm_records.split("Question_Response_vod__c", {
        "Question_Text_vod__c": "Which dose?", "Response_vod__c": "10 mg",
        "Score_vod__c": 4, "Survey_Target_vod__c": "target-1"})
    assert (columns["question"], columns["answer"]) == ("Which dose?", "10 mg")
    assert other == {"Score_vod__c": "4", "Survey_Target_vod__c": "target-1"}


def test_a_duration_that_is_no_number_is_dropped_and_none_is_negative() -> None:
    assert "usage_duration_s" not in clm_records.split(
        "Call_Clickstream_vod__c", {"Usage_Duration_vod__c": "soon"})[0]
    assert clm_records.split("Call_Clickstream_vod__c",
                             {"Usage_Duration_vod__c": -5})[0]["usage_duration_s"] == 0


def test_a_hostile_record_stays_within_the_column() -> None:
    """Thousands of fields, long names, values of control characters (escaped sixfold in
    JSON): what is kept fits the column on both stores, and is valid JSON."""
    values = {f"F{i:05d}_{'x' * 200}": "\x01" * 10_000 for i in range(5_000)}
    _columns, other = clm_records.split("Survey_Target_vod__c", values)
    assert len(other) == clm_records.MAX_OTHER_FIELDS
    assert all(len(k) <= clm_records.MAX_NAME and len(v) <= clm_records.MAX_VALUE
               for k, v in other.items())
    text = clm_records.dumps(other)
    assert text is not None and len(text) <= clm_records.OTHER_FIELDS_MAX
    assert set(json.loads(text)) <= set(other)


def test_an_update_changes_named_fields_and_keeps_the_rest() -> None:
    stored = clm_records.dumps({"A": "1", "B": "2"})
    assert json.loads(clm_records.merged(stored, {"B": "3", "C": "4"}) or "") == {
        "A": "1", "B": "3", "C": "4"}
    full = clm_records.dumps({f"F{i}": "v" for i in range(clm_records.MAX_OTHER_FIELDS)})
    grown = json.loads(clm_records.merged(full, {"New": "x", "F0": "changed"}) or "")
    assert "New" not in grown and grown["F0"] == "changed"


@pytest.mark.parametrize("stored", [None, "", "not json", "[1, 2]", '"text"'])
def test_stored_fields_from_elsewhere_read_as_none(stored: str | None) -> None:
    assert clm_records.loads(stored) == {}
