"""Capture during a presentation: time per slide from a clock, reactions, answers, consent,
crash safety, and the summary the call report takes in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.edetail.capture import (
    Recorder,
    react,
    record_click,
    recover,
    show_slide,
    start_session,
    tracking_consent,
    tracking_state,
    update_click,
)
from app.edetail.errors import CaptureError
from app.edetail.feedback import topic_feedback
from app.edetail.package import import_package
from app.edetail.summary import summarise
from app.services.calls import CallForm, load_form, save_draft
from app.store.accounts import ChannelConsent
from app.store.content import ClickstreamEvent, Presentation, PresentationSession, SlideView
from app.store.database import Database, open_database
from app.store.journal import OutboxMutation
from app.store.reference import KeyMessage
from tests.edetail.conftest import BuildPackage, manifest
from tests.factories import World

START = dt.datetime(2026, 6, 15, 10, 0, 0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deck(db: Database, world: World, build_package: BuildPackage) -> dict[str, str]:
    """The standard package, with slide s3 about a key message of the other product."""
    with db.write() as session:
        session.info["from_server"] = True
        session.add(KeyMessage(product_id=world.other.id, position=1, code="NV-1",
                               title="Neuro", topic="study"))
    data = manifest()
    data["slides"][2]["key_message"] = "NV-1"
    result = import_package(db, build_package(data))
    with db.write() as session:  # as the server sent it: a local import is a preview only
        session.info["from_server"] = True
        p = session.get(Presentation, result.presentation_id)
        assert p is not None
        p.version = 7
        return {"presentation": p.id, **{s.code: s.id for s in p.slides}}


def grant(db: Database, account_id: str, channel: str, consent: str = "granted") -> None:
    with db.write() as session:
        session.add(ChannelConsent(account_id=account_id, channel=channel, consent=consent))


def views(db: Database, session_id: str) -> list[SlideView]:
    with db.read() as session:
        return list(session.query(SlideView).filter_by(session_id=session_id)
                    .order_by(SlideView.started_at))


def test_time_per_slide_comes_from_the_clock(db: Database, world: World, deck: dict[str, str],
                                             clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], account_id=world.doctor.id, clock=clock)
    rec.show(deck["s1"])
    clock.tick(12.5)
    rec.show(deck["s2"])
    clock.tick(1)
    rec.show(deck["s1"])  # back again: a second view, the first stays as it was
    clock.tick(4)
    rec.end()
    rows = views(db, rec.session_id)
    assert [(v.slide_id, v.duration_ms) for v in rows] == [
        (deck["s1"], 12500), (deck["s2"], 1000), (deck["s1"], 4000)]
    assert rows[0].ended_at == START + dt.timedelta(seconds=12.5)
    with db.read() as session:
        s = session.get(PresentationSession, rec.session_id)
        assert s is not None and s.ended_at == START + dt.timedelta(seconds=17.5)


def test_reactions_answers_and_asking_for_more(db: Database, world: World,
                                               deck: dict[str, str], clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s4"])
    rec.react("positive")
    rec.answer("q1", "maybe")
    rec.answer("q2", ["diabetic", "elderly"])
    rec.answer("q3", 4)
    rec.answer("q4", "  Send me the study  ")
    rec.ask_for_more()
    clock.tick(1)
    rec.react("negative")  # changed their mind
    [view] = views(db, rec.session_id)
    assert view.reaction == "negative" and view.asked_for_more
    assert json.loads(view.answers) == {"q1": "maybe", "q2": ["elderly", "diabetic"],
                                        "q3": 4, "q4": "Send me the study"}
    rec.answer("q4", None)
    [view] = views(db, rec.session_id)
    assert "q4" not in json.loads(view.answers)


@pytest.mark.parametrize(
    ("question", "value"),
    [("q1", "never"), ("q2", ["elderly", "elderly"]), ("q2", "elderly"), ("q3", 6),
     ("q3", True), ("q4", 7), ("q9", "x")],
)
def test_answers_that_do_not_fit_the_question(db: Database, world: World,
                                              deck: dict[str, str], clock: Clock,
                                              question: str, value: object) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s4"])
    with pytest.raises(CaptureError):
        rec.answer(question, value)
    [view] = views(db, rec.session_id)
    assert view.answers == "{}"


def test_bad_events_are_refused(db: Database, world: World, deck: dict[str, str],
                                clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    with pytest.raises(CaptureError, match="No slide"):
        rec.react("positive")
    rec.show(deck["s1"])
    with pytest.raises(CaptureError, match="not a reaction"):
        rec.react("thrilled")
    with pytest.raises(CaptureError, match="not part of the presentation"):
        rec.show(world.key_message.id)
    rec.end()
    with pytest.raises(CaptureError, match="has ended"):
        rec.show(deck["s2"])


def test_clickstream_records_as_clm_content_makes_them(db: Database, world: World,
                                                       deck: dict[str, str],
                                                       clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s4"])
    clock.tick(3)
    rec.click(track_element_id="btn-dose", track_element_type="button",
              question="Preferred dose?", answer="5 mg", usage_duration_s=3)
    record_click(db, rec.session_id, slide_id=deck["s2"], track_element_id="video",
                 clock=clock)
    with db.read() as session:
        rows = session.query(ClickstreamEvent).order_by(ClickstreamEvent.id).all()
        assert [(r.slide_id, r.track_element_id, r.question, r.answer, r.usage_duration_s)
                for r in rows] == [
            (deck["s4"], "btn-dose", "Preferred dose?", "5 mg", 3),
            (deck["s2"], "video", None, None, None)]
    [view] = views(db, rec.session_id)
    assert view.duration_ms == 3000  # a click is an event too: the time so far is kept


def test_a_slide_changes_only_the_records_of_its_own_presentation(
        db: Database, world: World, deck: dict[str, str], clock: Clock) -> None:
    first = Recorder(db, deck["presentation"], clock=clock)
    first.show(deck["s4"])
    record = record_click(db, first.session_id, question="Dose?", answer="5 mg",
                          record_id="0190c0de-0000-7000-8000-000000000001", clock=clock)
    assert record == "0190c0de-0000-7000-8000-000000000001"  # the id told to the slide
    update_click(db, first.session_id, record, answer="10 mg", usage_duration_s=4)
    second = Recorder(db, deck["presentation"], clock=clock)
    second.show(deck["s1"])
    with pytest.raises(CaptureError, match="not made in this presentation"):
        update_click(db, second.session_id, record, answer="hijacked")
    with pytest.raises(CaptureError, match="no field"):
        update_click(db, first.session_id, record, session_id_="x")
    first.end()
    with pytest.raises(CaptureError, match="has ended"):
        update_click(db, first.session_id, record, answer="late")
    with db.read() as session:
        row = session.get(ClickstreamEvent, record)
        assert row is not None
        assert (row.question, row.answer, row.usage_duration_s) == ("Dose?", "10 mg", 4)


def test_a_survey_record_keeps_every_field_and_its_object(
        db: Database, world: World, deck: dict[str, str], clock: Clock) -> None:
    """A survey response's own fields are kept beside the columns; an update changes the
    fields it names and keeps the rest; a record is changed only as the object it is."""
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s4"])
    record = record_click(db, rec.session_id, question="Dose?", answer="5 mg",
                          object_name="Question_Response_vod__c",
                          other_fields={"Score_vod__c": "3", "Survey_vod__c": "S-1"},
                          clock=clock)
    update_click(db, rec.session_id, record, answer="10 mg",
                 object_name="Question_Response_vod__c", other_fields={"Score_vod__c": "4"})
    with pytest.raises(CaptureError, match="not made in this presentation"):
        update_click(db, rec.session_id, record, answer="x",
                     object_name="Call_Clickstream_vod__c")
    plain = record_click(db, rec.session_id, track_element_id="btn", clock=clock)
    with db.read() as session:
        row = session.get(ClickstreamEvent, record)
        assert row is not None
        assert (row.object_name, row.answer) == ("Question_Response_vod__c", "10 mg")
        assert json.loads(row.other_fields or "") == {"Score_vod__c": "4",
                                                      "Survey_vod__c": "S-1"}
        clicked = session.get(ClickstreamEvent, plain)
        assert clicked is not None
        assert (clicked.object_name, clicked.other_fields) == ("Call_Clickstream_vod__c", None)


def test_capture_goes_to_the_outbox(db: Database, world: World, deck: dict[str, str],
                                    clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s1"])
    rec.react("neutral")
    rec.click(track_element_id="x")
    with db.read() as session:
        entities = sorted(m.entity for m in session.query(OutboxMutation))
    assert entities == ["clickstream_events", "presentation_sessions", "slide_views"]


# --- consent ----------------------------------------------------------------------------


def test_without_consent_the_capture_is_anonymous(db: Database, world: World,
                                                  deck: dict[str, str], clock: Clock) -> None:
    # Dr. Müller consented to e-mail only: no tracking.
    session_id = start_session(db, deck["presentation"], account_id=world.doctor.id,
                               user_id=world.rep.id, clock=clock)
    with db.read() as session:
        row = session.get(PresentationSession, session_id)
        assert row is not None
        assert (row.account_id, row.interaction_id, row.anonymous) == (None, None, True)
        assert row.user_id == world.rep.id
        pushed = [json.loads(m.fields) for m in session.query(OutboxMutation)
                  .filter_by(entity="presentation_sessions")]
    assert pushed[0]["account_id"] is None


def test_a_visit_consent_is_not_tracking_consent(db: Database, world: World,
                                                 deck: dict[str, str], clock: Clock) -> None:
    """What the consent dialog shows is what is used: "E-detailing tracking: not asked"
    records anonymously, whatever the visit consent says."""
    grant(db, world.doctor.id, "in_person")
    session_id = start_session(db, deck["presentation"], account_id=world.doctor.id,
                               clock=clock)
    with db.read() as session:
        row = session.get(PresentationSession, session_id)
        assert row is not None and (row.account_id, row.anonymous) == (None, True)
        assert tracking_state(session, world.doctor.id) is None
    grant(db, world.doctor.id, "clm_tracking")
    session_id = start_session(db, deck["presentation"], account_id=world.doctor.id,
                               clock=clock)
    with db.read() as session:
        row = session.get(PresentationSession, session_id)
        assert row is not None and (row.account_id, row.anonymous) == (world.doctor.id, False)


def test_a_dedicated_tracking_consent_wins(db: Database, world: World) -> None:
    grant(db, world.doctor.id, "in_person")
    grant(db, world.doctor.id, "clm_tracking", "withdrawn")
    grant(db, world.doctor_no_email.id, "clm_tracking")
    with db.read() as session:
        assert not tracking_consent(session, world.doctor.id)
        assert tracking_consent(session, world.doctor_no_email.id)


def test_a_call_is_linked_only_with_consent(db: Database, world: World, deck: dict[str, str],
                                            clock: Clock) -> None:
    grant(db, world.doctor.id, "clm_tracking")
    with db.write() as session:
        call_id = save_draft(session, world.rep.id, CallForm(account_id=world.doctor.id,
                                                             start_at=START))
    session_id = start_session(db, deck["presentation"], account_id=world.doctor.id,
                               interaction_id=call_id, clock=clock)
    with db.read() as session:
        row = session.get(PresentationSession, session_id)
        assert row is not None and row.interaction_id == call_id
    with pytest.raises(CaptureError, match="does not belong"):
        start_session(db, deck["presentation"], account_id=world.doctor_no_email.id,
                      interaction_id=call_id, clock=clock)


# --- what may be presented --------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "when", "match"),
    [({"approval_state": "withdrawn"}, START, "withdrawn"),
     ({"approval_state": "draft"}, START, "not approved"),
     ({}, dt.datetime(2027, 1, 1, 9), "expired on 2026-12-31"),
     ({}, dt.datetime(2025, 12, 31, 9), "from 2026-01-01 on")],
)
def test_content_that_may_not_be_presented(db: Database, world: World,
                                           build_package: BuildPackage, clock: Clock,
                                           changes: dict[str, str], when: dt.datetime,
                                           match: str) -> None:
    result = import_package(db, build_package(manifest(**changes)))
    clock.now = when
    with pytest.raises(CaptureError, match=match):
        start_session(db, result.presentation_id, clock=clock)
    with db.read() as session:
        assert session.query(PresentationSession).count() == 0


# --- a crash ----------------------------------------------------------------------------


def test_a_crash_keeps_what_was_captured(db: Database, world: World, deck: dict[str, str],
                                         clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s1"])
    clock.tick(5)
    rec.react("positive")
    clock.tick(30)  # ... and then the battery dies: the process never ends the session
    other = open_database(Path(db.path))
    try:
        [view] = views(other, rec.session_id)
        assert (view.reaction, view.duration_ms) == ("positive", 5000)
        assert recover(other) == [rec.session_id]
        with other.read() as session:
            row = session.get(PresentationSession, rec.session_id)
            assert row is not None and row.ended_at == START + dt.timedelta(seconds=5)
        assert recover(other) == []
        assert summarise(other, rec.session_id).slides[0].reaction == "positive"
    finally:
        other.close()


# --- the summary for the call report ----------------------------------------------------


def test_summarise_for_the_call_report(db: Database, world: World, deck: dict[str, str],
                                       clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], account_id=world.doctor.id, clock=clock)
    rec.show(deck["s1"])  # Cardiozan, CZ-1 (known here)
    clock.tick(3)
    rec.react("positive")
    rec.show(deck["s2"])  # Cardiozan, CZ-2 (unknown here): 1 s, no reaction: not counted
    clock.tick(1)
    rec.show(deck["s3"])  # Neurovit, NV-1: the longest
    clock.tick(20)
    rec.react("neutral")
    rec.show(deck["s4"])  # Cardiozan, CZ-4 (unknown), a question slide, 0 s but answered
    rec.answer("q1", "yes")
    rec.answer("q3", 5)
    rec.ask_for_more()
    rec.show(deck["s1"])  # back to the first slide for 2 more seconds
    clock.tick(2)
    rec.end()

    fragment = summarise(db, rec.session_id)
    assert fragment.products == [world.other.id, world.promoted.id]  # 20 s against 5 s
    assert fragment.seconds_by_product == {world.promoted.id: 5.0, world.other.id: 20.0}
    nv1 = fragment.slides[1].key_message_id
    assert fragment.key_messages == {world.key_message.id: "positive", nv1: "neutral"}
    assert [(s.key_message, s.seconds, s.reaction) for s in fragment.slides] == [
        ("CZ-1", 5.0, "positive"), ("NV-1", 20.0, "neutral"), ("CZ-4", 0.0, None)]
    assert fragment.slides[2].answers == (("Would you prescribe it?", "yes"),
                                          ("How convincing?", "5 / 5"))
    assert "Would you prescribe it?: yes" in fragment.notes
    assert "Asked for more on “CZ-4”." in fragment.notes

    # The call report takes it in, and the call service accepts the result.
    form = CallForm(account_id=world.doctor.id, start_at=START, notes="Met at the practice.",
                    products=[world.promoted.id])
    fragment.apply_to(form)
    fragment.apply_to(form)  # twice changes nothing
    assert form.products == [world.promoted.id, world.other.id]
    assert form.key_messages == fragment.key_messages
    assert form.notes is not None and form.notes.startswith("Met at the practice.\n\n")
    assert form.notes.count("E-detail") == 1
    with db.write() as session:
        call_id = save_draft(session, world.rep.id, form)
    with db.read() as session:
        saved, _status = load_form(session, call_id)
    assert saved.key_messages == fragment.key_messages


def test_a_rep_reaction_in_the_form_is_kept(db: Database, world: World, deck: dict[str, str],
                                            clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s1"])
    rec.react("negative")
    form = CallForm(account_id=world.doctor.id, key_messages={world.key_message.id: "positive"})
    summarise(db, rec.session_id).apply_to(form)
    assert form.key_messages == {world.key_message.id: "positive"}
    assert form.products == [world.promoted.id]


def test_key_messages_known_later_are_found_by_code(db: Database, world: World,
                                                   deck: dict[str, str], clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    rec.show(deck["s2"])
    clock.tick(3)
    rec.end()
    with db.write() as session:  # CZ-2 arrives with the next sync
        session.info["from_server"] = True
        km = KeyMessage(product_id=world.promoted.id, position=2, code="CZ-2",
                        title="Safe", topic="safety")
        session.add(km)
        session.flush()
        km_id = km.id
    assert summarise(db, rec.session_id).key_messages == {km_id: None}


def test_show_slide_function_checks_the_session(db: Database, world: World,
                                                deck: dict[str, str], clock: Clock) -> None:
    with pytest.raises(CaptureError, match="does not exist"):
        show_slide(db, "no-such-session", deck["s1"], clock=clock)


def test_a_late_reaction_keeps_the_left_slide_s_time(db: Database, world: World,
                                                     deck: dict[str, str],
                                                     clock: Clock) -> None:
    rec = Recorder(db, deck["presentation"], clock=clock)
    first = rec.show(deck["s1"])
    clock.tick(4)
    rec.show(deck["s2"])
    clock.tick(6)
    react(db, first, "positive", clock=clock)  # the rep catches up with the doctor's nod
    rows = views(db, rec.session_id)
    assert [(v.reaction, v.duration_ms) for v in rows] == [("positive", 4000), (None, 6000)]


def test_topic_feedback_for_the_engine(db: Database, world: World, deck: dict[str, str],
                                       clock: Clock) -> None:
    grant(db, world.doctor.id, "clm_tracking")
    rec = Recorder(db, deck["presentation"], account_id=world.doctor.id, clock=clock)
    rec.show(deck["s1"])  # efficacy, 10 s, positive
    clock.tick(10)
    rec.react("positive")
    rec.show(deck["s2"])  # safety, 1 s: not counted
    clock.tick(1)
    rec.show(deck["s4"])  # dosing, asked for more
    rec.ask_for_more()
    clock.tick(3)
    rec.end()
    anonymous = Recorder(db, deck["presentation"], account_id=world.doctor_no_email.id,
                         clock=clock)
    anonymous.show(deck["s1"])
    clock.tick(60)
    anonymous.end()
    with db.read() as session:
        figures = topic_feedback(session, world.doctor.id)
        nothing = topic_feedback(session, world.doctor_no_email.id)
    assert [(f.topic, f.views, f.seconds, f.positive, f.asked_for_more) for f in figures] == [
        ("efficacy", 1, 10.0, 1, 0), ("dosing", 1, 3.0, 0, 1)]
    assert nothing == []  # no consent: nothing is tied to the doctor
