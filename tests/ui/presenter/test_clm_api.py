"""A key message built for the market's CLM player, driven through each call of its library.

The page calls `com.veeva.clm` as such content does and keeps every callback's result; the
test reads them back and looks at what the laptop stored. WebEngine offscreen, as in
test_html_stage.py (same skip and log rules).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.store.accounts import Account
from app.store.content import ClickstreamEvent
from app.store.database import Database
from app.store.reference import User
from app.ui.operations import Operations
from tests.ui.conftest import Territory
from tests.ui.presenter.html_decks import one_page_deck, run_js
from tests.ui.presenter.test_presentation import FakeClock, consent, finish, ops, start

try:
    import PySide6.QtWebEngineWidgets  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"QtWebEngine cannot be imported here ({exc}); CI installs its libraries",
                allow_module_level=True)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "QRhiGles2: Failed to create (temporary )?context", "Failed to create RHI for backend.*",
    "GPUInfo not initialized.*")]
__all__ = ["ops"]

KEY_MESSAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dosing</title>
<script>
window.results = {};
function keep(name) { return function (result) { window.results[name] = result; }; }
function callEverything() {
  var clm = com.veeva.clm;
  clm.getDataForCurrentObject('Account', 'LastName', keep('accountName'));
  clm.getDataForCurrentObject('User', 'Name', keep('userName'));
  clm.getDataForCurrentObject('Presentation', 'Name', keep('presentation'));
  clm.getDataForCurrentObject('KeyMessage', 'Media_File_Name_vod__c', keep('keyMessage'));
  clm.getDataForCurrentObject('Account', 'Notes', keep('accountNotes'));
  clm.getDataForCurrentObject('Call2_vod__c', 'Id', keep('call'));
  clm.getDataForObject('Account', window.doctorId, 'FirstName', keep('byId'));
  clm.getDataForObject('Account', 'someone-else', 'Name', keep('other'));
  clm.createRecord('Call_Clickstream_vod__c', {
    Track_Element_Id_vod__c: 'btn', Track_Element_Type_vod__c: 'button',
    Track_Element_Description_vod__c: 'Dose 10 mg'}, keep('click1'));
  clm.createRecord('Call_Clickstream_vod__c', {
    Track_Element_Id_vod__c: 'btn', Track_Element_Type_vod__c: 'button',
    Track_Element_Description_vod__c: 'Dose 20 mg'}, keep('click2'));
  clm.createRecord('Account', {Name: 'Injected'}, keep('account'));
  clm.updateRecord('Call_Clickstream_vod__c', 'x', {Answer_vod__c: 'y'}, keep('update'));
  clm.getApprovedDocument('vault-1', 'doc-1', keep('document'));
  clm.launchApprovedEmail('template', [], keep('email'));
  clm.somethingNew('a', keep('unknown'));
  window.typeOfUnknown = typeof clm.anythingElse;
}
</script></head><body><h1>Dosing</h1></body></html>"""


@pytest.fixture
def clm_deck(ui_db: Database, tmp_path: Path) -> str:
    return one_page_deck(ui_db, tmp_path, KEY_MESSAGE, "clm")


def test_each_clm_call_is_answered_as_the_library_documents(
        qtbot: Any, ops: Operations, ui_db: Database, clm_deck: str, territory: Territory,
        caplog: pytest.LogCaptureFixture) -> None:
    consent(ui_db, territory.doctor_id)
    presenter = start(qtbot, ops, clm_deck, clock=FakeClock(), account_id=territory.doctor_id,
                      user_id=territory.rep_id)
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof com.veeva.clm") == "object",
                    timeout=10_000)
    caplog.set_level(logging.DEBUG, logger="app.ui.views.presenter")
    run_js(qtbot, presenter, f"window.doctorId = {json.dumps(territory.doctor_id)}; "
                             "callEverything(); 1")
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "Object.keys(window.results).length")
                    == 15, timeout=10_000)
    results = run_js(qtbot, presenter, "JSON.stringify(window.results)")
    got = json.loads(results)
    with ui_db.read() as session:
        doctor = session.get(Account, territory.doctor_id)
        rep = session.get(User, territory.rep_id)
        assert doctor is not None and rep is not None
        last_name, first_name, rep_name = doctor.last_name, doctor.first_name, rep.display_name
    assert got["accountName"] == {"success": True, "Account": {"LastName": last_name}}
    assert got["userName"] == {"success": True, "User": {"Name": rep_name}}
    assert got["presentation"]["success"] and got["presentation"]["Presentation"]["Name"]
    assert got["keyMessage"]["success"]
    assert got["byId"] == {"success": True, "Account": {"FirstName": first_name}}
    assert got["click1"]["success"] and got["click2"]["success"]
    for refused in ("accountNotes", "call", "other", "account", "update", "document", "email",
                    "unknown"):
        assert got[refused]["success"] is False, refused
        assert got[refused]["code"] == 2000 and got[refused]["message"], refused
    assert run_js(qtbot, presenter, "window.typeOfUnknown") == "function"
    ops.wait()
    with ui_db.read() as session:
        clicks = session.scalars(select(ClickstreamEvent.track_element_description)
                                 .order_by(ClickstreamEvent.at)).all()
        assert sorted(c or "" for c in clicks) == ["Dose 10 mg", "Dose 20 mg"]
        assert session.scalar(select(func.count()).select_from(Account)
                              .where(Account.name == "Injected")) == 0
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    for call in ("getDataForCurrentObject", "createRecord", "getApprovedDocument",
                 "somethingNew"):
        assert call in logged, call
    finish(qtbot, presenter)


SURVEY = """
window.survey = {};
com.veeva.clm.createRecord('Call_Clickstream_vod__c', {
    Track_Element_Id_vod__c: 'q-dose', Track_Element_Type_vod__c: 'Survey',
    Question_vod__c: 'Which dose do you start with?', Answer_vod__c: '10 mg',
    Usage_Start_Time_vod__c: '2026-12-07T10:00:00Z'},
  function (made) {
    window.survey.made = made;
    com.veeva.clm.updateRecord('Call_Clickstream_vod__c', made.Call_Clickstream_vod__c.ID,
      {Answer_vod__c: '20 mg', Usage_Duration_vod__c: 7},
      function (changed) { window.survey.changed = changed; });
  });
com.veeva.clm.createRecord('Survey_Target_vod__c', {Survey_vod__c: 'S-7', Status_vod__c:
    'Submitted_vod'}, function (made) { window.survey.target = made; });
com.veeva.clm.createRecord('Question_Response_vod__c', {Question_Text_vod__c: 'Useful?',
    Response_vod__c: 'Yes', Score_vod__c: 5}, function (made) {
  window.survey.response = made;
  com.veeva.clm.updateRecord('Call_Clickstream_vod__c', made.Question_Response_vod__c.ID,
    {Answer_vod__c: 'hijacked'}, function (refused) { window.survey.crossed = refused; });
});
1"""


def test_a_survey_answer_changed_by_the_slide_keeps_one_record(
        qtbot: Any, ops: Operations, ui_db: Database, clm_deck: str) -> None:
    """createRecord tells the slide its record's ID; updateRecord with it changes that
    record (the doctor answered again), the question and element kept. Survey targets and
    responses are kept as such with every field; a record changes only as its own object."""
    presenter = start(qtbot, ops, clm_deck, clock=FakeClock())
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof com.veeva.clm") == "object",
                    timeout=10_000)
    run_js(qtbot, presenter, SURVEY)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "!!window.survey.changed "
                                                     "&& !!window.survey.crossed "
                                                     "&& !!window.survey.target"),
                    timeout=10_000)
    got = json.loads(run_js(qtbot, presenter, "JSON.stringify(window.survey)"))
    record_id = got["made"]["Call_Clickstream_vod__c"]["ID"]
    assert got["changed"] == {"success": True, "operation": "update",
                              "Call_Clickstream_vod__c": {"ID": record_id}}
    assert got["target"]["success"] and got["response"]["success"]
    assert got["crossed"]["success"] is False
    finish(qtbot, presenter)
    ops.wait()
    with ui_db.read() as session:
        rows = {r.object_name: r for r in session.scalars(select(ClickstreamEvent))}
        assert set(rows) == {"Call_Clickstream_vod__c", "Survey_Target_vod__c",
                             "Question_Response_vod__c"}
        row = rows["Call_Clickstream_vod__c"]
        assert row.id == record_id
        assert (row.track_element_id, row.track_element_type, row.question, row.answer,
                row.usage_duration_s) == ("q-dose", "Survey", "Which dose do you start with?",
                                          "20 mg", 7)
        assert json.loads(row.other_fields or "") == {
            "Usage_Start_Time_vod__c": "2026-12-07T10:00:00Z"}
        assert json.loads(rows["Survey_Target_vod__c"].other_fields or "") == {
            "Survey_vod__c": "S-7", "Status_vod__c": "Submitted_vod"}
        response = rows["Question_Response_vod__c"]
        assert (response.question, response.answer) == ("Useful?", "Yes")
        assert json.loads(response.other_fields or "") == {"Score_vod__c": "5"}


def test_a_script_error_of_a_slide_is_a_warning_naming_deck_and_slide(
        qtbot: Any, ops: Operations, clm_deck: str, caplog: pytest.LogCaptureFixture) -> None:
    presenter = start(qtbot, ops, clm_deck)
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    run_js(qtbot, presenter, "setTimeout(function () { undefinedFunction(); }, 0); 1")
    qtbot.waitUntil(lambda: any("undefinedFunction" in r.getMessage()
                                for r in caplog.records if r.levelno == logging.WARNING),
                    timeout=10_000)
    warning = next(r.getMessage() for r in caplog.records
                   if "undefinedFunction" in r.getMessage())
    assert "slide 4" in warning and "slides/q/index.html" in warning
    finish(qtbot, presenter)
