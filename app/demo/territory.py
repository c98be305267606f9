"""Demo data: a German territory with doctors, institutions and years of calls, from a seed.

`fieldrep demo`, the benchmarks and the recommendation engine's evaluation need a territory
that looks and behaves like a real one: German names with umlauts and ß, real cities with
their postcodes and coordinates, LANR and BSNR numbers, consents per channel, and a call
history with signal in it. `generate` writes all of it into an empty database.

The hidden truth (table `demo_truth`; never shown, never synced)
-----------------------------------------------------------------
Every doctor (HCP) gets one of three personas (docs/demo-data.md). The persona is never written
anywhere the app reads; a recommendation engine only sees its traces in the history, and is
evaluated later against this table.

- ``evidence_driven`` wants studies and detailed medical information: favours the key-message
  topics *study* and *efficacy*, dislikes *patient-support*; likes in-person calls and events;
  long calls; contact cap 1-2 per month.
- ``pragmatic`` wants practical, compact information: favours *dosing* and *safety*, dislikes
  *study*; likes short in-person calls and the phone; short calls; cap 1-2 per month.
- ``digital_affine`` prefers online resources, webinars, e-mail and video: favours
  *patient-support*, dislikes nothing; likes e-mail and video; cap 2-4 per month (a mail is a
  light touch).

How personas are assigned (`_persona_weights`): base weights 0.33 / 0.42 / 0.25 (evidence /
pragmatic / digital); +0.15 pragmatic for primary care (general practice, internal
medicine); +0.12 evidence for evidence-heavy specialties (cardiology, nephrology, neurology,
rheumatology, oncology); +0.25 evidence for professors and private lecturers and for doctors
working in a university hospital; +0.10 digital for doctors without a doctorate (a proxy for
younger doctors). Then one weighted draw.

The truth row of a doctor: `persona`; `preferred_channel` (drawn from the persona's channel
affinity, see `PERSONAS`); `responsiveness` (uniform 0.30-0.95, the probability scale of a
positive reaction when everything fits); `contact_cap_per_month` (uniform in the persona's
range).

What the truth drives in the generated data:
- Channel affinity of a doctor = 0.5 x persona affinity + 0.5 on the preferred channel.
- Consents: the preferred channel is always granted; e-mail and video consent are far more
  likely granted for digital doctors, phone for pragmatic ones, events for evidence-driven
  ones. 70 % of doctors told the rep their preferred channel (`preferred` flag); 55 % stated a
  full ranking (`preference_rank`, by affinity). The rest is unknown to the app.
- Channel of each call: the rep's habit (50 % in person, 20 % phone, 14 % e-mail, 8 % video,
  8 % event) mixed 45:55 with the doctor's affinity, among consented channels only (e-mail
  only with granted consent, never a withdrawn channel).
- Frequency: by segment, not by persona (A 22, B 12, C 6 calls a year, x0.6-1.4): reps over-
  contact some doctors, and that is visible. "The dose makes it": with n contacts in the 30
  days up to and including a call, and `over = max(0, n - cap)`, the doctor's effective
  responsiveness in that call is `responsiveness x 0.7 ** over`; calls get shorter
  (x(0.6 + 0.4 x 0.7 ** over)) and the notes sometimes say so.
- Key messages: the rep picks those of the persona's favoured topics 2.5 times as often
  (reps learn a little); MSL calls cover *study* and *safety*.
- Reaction per key message: ``score = effective responsiveness + topic + 0.6 x (affinity of
  the channel - 0.2)`` with topic +0.25 (favoured), -0.25 (disliked), else 0;
  ``P(positive) = clamp(1.2 x score - 0.25, 0.02, 0.95)``,
  ``P(negative) = clamp(0.55 - score, 0.02, 0.90)``, neutral otherwise.
- Access (drawn from a generator of its own): 47 % of doctors accessible, 36 % restricted,
  17 % severely restricted (ZS AccessMonitor); a visit is preceded by one the doctor did not
  receive 5 / 50 / 90 % of the time, and the severely restricted turned the rep away once or
  twice in the last weeks. Such a visit is submitted and marked not received, with nothing
  discussed, and is never the account's last contact.
- Call duration: the persona's range per channel (e.g. pragmatic in person 5-12 min,
  evidence-driven 15-35 min); e-mails have none.
- Notes: short German sentences per topic and reaction, a persona hint in a quarter of the
  calls ("Möchte es kurz und praxisnah."), a complaint about frequency in 40 % of over-cap
  calls.
Institutions (HCOs) have no persona: neutral affinity, responsiveness 0.5.

Reproducibility: one `random.Random(seed)` drives everything in a fixed order, so the same
seed, size and `today` give the same rows, ids included: ids are UUIDv7-shaped, their time
part counts up from `today` (new rows append to the B-tree), their random part comes from the
seed. Apart from `today`'s default, nothing reads the clock; nothing iterates a set.

Writing: one write transaction, Core bulk inserts (`app.store.bulk`), no sync outbox (the data
plays the server's master data and history). The local derived columns of accounts
(`name_key`, `city`, `city_key`, `postcode`, `search_text`, `last_contact_at`) are computed
here exactly as `app.store.search.refresh_accounts` would, because refreshing 50,000 accounts
afterwards would cost more than generating them. See docs/demo-data.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from sqlalchemy import Table, select

from app.demo.sales import SalesFigures
from app.demo.touchpoints import DemoTouchpoints
from app.i18n import tr
from app.services.errors import ServiceError, ValidationError
from app.store.base import AccountKind, CallStatus, Channel, ConsentState, Role, TaskStatus
from app.store.bulk import insert_rows
from app.store.database import Database
from app.store.models import Base
from app.store.search import fold, name_key, search_text

Row = dict[str, Any]
TABLES = Base.metadata.tables

IN_PERSON, PHONE, VIDEO, EMAIL, EVENT = (c.value for c in Channel)
CHANNELS = (IN_PERSON, PHONE, VIDEO, EMAIL, EVENT)
SUBMITTED, PLANNED, DRAFT = (CallStatus.SUBMITTED.value, CallStatus.PLANNED.value,
                              CallStatus.DRAFT.value)
GRANTED, UNKNOWN, WITHDRAWN = (ConsentState.GRANTED.value, ConsentState.UNKNOWN.value,
                               ConsentState.WITHDRAWN.value)

#: Share of institutions among the accounts, and how institutions split.
HCO_SHARE = 0.15
HCO_KINDS = (("practice", 0.70), ("department", 0.25), ("hospital", 0.05))
#: Calls per year by segment (institutions: "HCO"); an account gets x0.6-1.4 of it.
CALLS_PER_YEAR = {"A": 22, "B": 12, "C": 6, "HCO": 5}
SEGMENTS = (("A", 0.20, 0.70, 1.00), ("B", 0.35, 0.40, 0.70), ("C", 0.45, 0.05, 0.40))
#: LANRs are six unique digits plus a check digit and a group: room for 900,000 doctors.
MAX_ACCOUNTS = 1_000_000
#: Accounts per chunk: one chunk is a handful of executemany calls, and the unit of progress
#: and cancellation.
CHUNK_ACCOUNTS = 500
REP_HABIT = {IN_PERSON: 0.50, PHONE: 0.20, EMAIL: 0.14, VIDEO: 0.08, EVENT: 0.08}
REP_HABIT_WEIGHT = 0.45
FATIGUE = 0.7
#: Doctors' access to reps' visits: (level, share, chance that a visit fails). The shares are
#: the field's (ZS AccessMonitor: 47 % accessible, 36 % restricted, 17 % severely
#: restricted); how often a visit then fails is this demo's assumption.
ACCESS = (("accessible", 0.47, 0.05), ("restricted", 0.36, 0.5),
          ("severely restricted", 0.17, 0.9))
#: What a rep notes when the doctor did not receive him.
NOT_RECEIVED_NOTES = (
    "Praxis voll, Arzt empfängt heute keinen Außendienst.",
    "Laut Empfang keine Besuche ohne Termin.",
    "Arzt im Notfall, Besuch nicht möglich.",
    "Empfang: Außendienst nur nach schriftlicher Anfrage.",
)
HOME_CITY = "München"


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class City:
    name: str
    kv: int  # KV region: the first two digits of a BSNR
    area: str  # telephone area code without the leading 0
    plz: tuple[int, int]  # postcode range
    lat: float
    lon: float
    weight: float  # inhabitants in 100,000s: how many accounts the city gets
    university: bool
    #: The postcodes that exist, where the range `plz` holds numbers that do not.
    postcodes: tuple[str, ...] = ()

    def postcode(self, drawn: int) -> str:
        """The postcode for a number drawn from `plz` (one draw either way, so the demo's
        other random choices stay as they were)."""
        if self.postcodes:
            return self.postcodes[(drawn - self.plz[0]) % len(self.postcodes)]
        return f"{drawn:05d}"


#: Berlin's postcodes (of the 10115-14199 range most numbers do not exist).
BERLIN_POSTCODES = tuple(str(code) for code in (
    10115, 10117, 10119, 10178, 10179, 10243, 10245, 10247, 10249, 10315, 10317, 10318,
    10319, 10365, 10367, 10369, 10405, 10407, 10409, 10435, 10437, 10439, 10551, 10553,
    10555, 10557, 10559, 10585, 10587, 10589, 10623, 10625, 10627, 10629, 10707, 10709,
    10711, 10713, 10715, 10717, 10719, 10777, 10779, 10781, 10783, 10785, 10787, 10789,
    10823, 10825, 10827, 10829, 10961, 10963, 10965, 10967, 10969, 10997, 10999, 12043,
    12045, 12047, 12049, 12051, 12053, 12055, 12057, 12059, 12099, 12101, 12103, 12105,
    12107, 12109, 12157, 12159, 12161, 12163, 12165, 12167, 12169, 12203, 12205, 12207,
    12209, 12247, 12249, 12277, 12279, 12305, 12307, 12309, 12347, 12349, 12351, 12353,
    12355, 12357, 12359, 12435, 12437, 12439, 12459, 12487, 12489, 12524, 12526, 12527,
    12555, 12557, 12559, 12587, 12589, 12619, 12621, 12623, 12627, 12629, 12679, 12681,
    12683, 12685, 12687, 12689, 13051, 13053, 13055, 13057, 13059, 13086, 13088, 13089,
    13125, 13127, 13129, 13156, 13158, 13159, 13187, 13189, 13347, 13349, 13351, 13353,
    13355, 13357, 13359, 13403, 13405, 13407, 13409, 13435, 13437, 13439, 13465, 13467,
    13469, 13503, 13505, 13507, 13509, 13581, 13583, 13585, 13587, 13589, 13591, 13593,
    13595, 13597, 13599, 13627, 13629, 14050, 14052, 14053, 14055, 14057, 14059, 14089,
    14109, 14129, 14163, 14165, 14167, 14169, 14193, 14195, 14197, 14199,
))


CITIES = (
    City("Berlin", 72, "30", (10115, 14199), 52.5200, 13.4050, 37.0, True, BERLIN_POSTCODES),
    City("Hamburg", 2, "40", (20095, 22769), 53.5511, 9.9937, 18.5, True),
    City("München", 71, "89", (80331, 81929), 48.1374, 11.5755, 15.0, True),
    City("Köln", 38, "221", (50667, 51149), 50.9375, 6.9603, 10.8, True),
    City("Frankfurt am Main", 46, "69", (60306, 60599), 50.1109, 8.6821, 7.6, True),
    City("Stuttgart", 52, "711", (70173, 70629), 48.7758, 9.1829, 6.3, False),
    City("Düsseldorf", 38, "211", (40210, 40629), 51.2277, 6.7735, 6.2, True),
    City("Leipzig", 98, "341", (4103, 4357), 51.3397, 12.3731, 6.0, True),
    City("Dortmund", 20, "231", (44135, 44388), 51.5136, 7.4653, 5.9, False),
    City("Essen", 38, "201", (45127, 45359), 51.4556, 7.0116, 5.8, True),
    City("Bremen", 3, "421", (28195, 28779), 53.0793, 8.8017, 5.7, False),
    City("Dresden", 98, "351", (1067, 1328), 51.0504, 13.7373, 5.6, True),
    City("Hannover", 17, "511", (30159, 30669), 52.3759, 9.7320, 5.4, True),
    City("Nürnberg", 71, "911", (90402, 90491), 49.4521, 11.0767, 5.2, False),
    City("Bonn", 38, "228", (53111, 53229), 50.7374, 7.0982, 3.3, True),
    City("Münster", 20, "251", (48143, 48167), 51.9607, 7.6261, 3.2, True),
    City("Karlsruhe", 52, "721", (76131, 76229), 49.0069, 8.4037, 3.1, False),
    City("Mannheim", 52, "621", (68159, 68309), 49.4875, 8.4660, 3.1, True),
    City("Augsburg", 71, "821", (86150, 86199), 48.3705, 10.8978, 3.0, True),
    City("Wiesbaden", 46, "611", (65183, 65207), 50.0782, 8.2398, 2.8, False),
    City("Bielefeld", 20, "521", (33602, 33739), 52.0302, 8.5325, 3.3, False),
    City("Aachen", 38, "241", (52062, 52080), 50.7753, 6.0839, 2.5, True),
    City("Kiel", 1, "431", (24103, 24159), 54.3233, 10.1228, 2.5, True),
    City("Braunschweig", 17, "531", (38100, 38126), 52.2689, 10.5268, 2.5, False),
    City("Freiburg im Breisgau", 52, "761", (79098, 79117), 47.9990, 7.8421, 2.3, True),
    City("Lübeck", 1, "451", (23552, 23570), 53.8655, 10.6866, 2.2, True),
    City("Magdeburg", 88, "391", (39104, 39130), 52.1205, 11.6276, 2.4, True),
    City("Erfurt", 93, "361", (99084, 99099), 50.9848, 11.0299, 2.1, False),
    City("Mainz", 51, "6131", (55116, 55131), 49.9929, 8.2473, 2.2, True),
    City("Rostock", 78, "381", (18055, 18147), 54.0924, 12.0991, 2.1, True),
    City("Saarbrücken", 73, "681", (66111, 66133), 49.2402, 6.9969, 1.8, False),
    City("Potsdam", 83, "331", (14467, 14482), 52.3906, 13.0645, 1.8, False),
    City("Osnabrück", 17, "541", (49074, 49090), 52.2799, 8.0472, 1.7, False),
    City("Heidelberg", 52, "6221", (69115, 69126), 49.3988, 8.6724, 1.6, True),
    City("Darmstadt", 46, "6151", (64283, 64297), 49.8728, 8.6512, 1.6, False),
    City("Regensburg", 71, "941", (93047, 93059), 49.0134, 12.1016, 1.5, True),
    City("Ingolstadt", 71, "841", (85049, 85057), 48.7665, 11.4258, 1.4, False),
    City("Würzburg", 71, "931", (97070, 97084), 49.7913, 9.9534, 1.3, True),
    City("Ulm", 52, "731", (89073, 89081), 48.4011, 9.9876, 1.3, True),
    City("Göttingen", 17, "551", (37073, 37085), 51.5413, 9.9158, 1.2, True),
    City("Erlangen", 71, "9131", (91052, 91058), 49.5897, 11.0039, 1.1, True),
    City("Jena", 93, "3641", (7743, 7751), 50.9272, 11.5892, 1.1, True),
    City("Fürth", 71, "911", (90762, 90768), 49.4771, 10.9887, 1.3, False),
    City("Tübingen", 52, "7071", (72070, 72076), 48.5216, 9.0576, 0.9, True),
    City("Bamberg", 71, "951", (96047, 96052), 49.8988, 10.9028, 0.8, False),
    City("Bayreuth", 71, "921", (95444, 95448), 49.9456, 11.5713, 0.7, False),
    City("Landshut", 71, "871", (84028, 84036), 48.5372, 12.1522, 0.7, False),
    City("Rosenheim", 71, "8031", (83022, 83026), 47.8571, 12.1181, 0.6, False),
    City("Passau", 71, "851", (94032, 94036), 48.5665, 13.4312, 0.5, False),
    City("Kempten (Allgäu)", 71, "831", (87435, 87439), 47.7267, 10.3139, 0.7, False),
)


@dataclass(frozen=True)
class SpecialtyDef:
    code: str
    name_en: str
    name_de: str
    lanr_group: int  # "Fachgruppe": the last two digits of a LANR
    weight: float  # share among doctors
    products: tuple[str, ...]  # relevant products, most relevant first
    primary_care: bool = False
    evidence_heavy: bool = False


SPECIALTIES = (
    SpecialtyDef("GP", "General practice", "Allgemeinmedizin", 1, 30,
                 ("Glucaria", "Cardiovel", "Respiral", "Migranex"), primary_care=True),
    SpecialtyDef("IM", "Internal medicine", "Innere Medizin", 3, 14,
                 ("Cardiovel", "Glucaria", "Respiral"), primary_care=True),
    SpecialtyDef("CARD", "Cardiology", "Kardiologie", 28, 7, ("Cardiovel",),
                 evidence_heavy=True),
    SpecialtyDef("DIAB", "Diabetology", "Diabetologie", 25, 5, ("Glucaria", "Cardiovel")),
    SpecialtyDef("ENDO", "Endocrinology", "Endokrinologie", 25, 2, ("Glucaria",)),
    SpecialtyDef("NEPH", "Nephrology", "Nephrologie", 29, 3, ("Glucaria", "Cardiovel"),
                 evidence_heavy=True),
    SpecialtyDef("ANGI", "Angiology", "Angiologie", 24, 1.5, ("Cardiovel",)),
    SpecialtyDef("NEUR", "Neurology", "Neurologie", 53, 5, ("Migranex",), evidence_heavy=True),
    SpecialtyDef("PSY", "Psychiatry", "Psychiatrie und Psychotherapie", 58, 4, ("Migranex",)),
    SpecialtyDef("PNEU", "Pulmonology", "Pneumologie", 30, 4, ("Respiral",)),
    SpecialtyDef("RHEU", "Rheumatology", "Rheumatologie", 31, 3, ("Rheumabion",),
                 evidence_heavy=True),
    SpecialtyDef("DERM", "Dermatology", "Dermatologie", 21, 4, ("Rheumabion",)),
    SpecialtyDef("GAST", "Gastroenterology", "Gastroenterologie", 26, 3,
                 ("Rheumabion", "Glucaria")),
    SpecialtyDef("ONC", "Oncology", "Onkologie", 27, 3.5, ("Oncotrix", "Cardiovel"),
                 evidence_heavy=True),
    SpecialtyDef("GER", "Geriatrics", "Geriatrie", 23, 2, ("Cardiovel", "Glucaria", "Migranex")),
)
_SPECIALTY = {s.code: s for s in SPECIALTIES}


@dataclass(frozen=True)
class ProductDef:
    name: str
    therapeutic_area: str
    yearly_sample_limit: int | None
    promotable: bool  # in the demo territory; every product is promotable in the other one
    event: str  # the title of a typical event for it
    messages: tuple[tuple[str, str, str], ...]  # (code, title, topic)


PRODUCTS = (
    ProductDef("Cardiovel", "Cardiology", 12, True, "Herzinsuffizienz-Update", (
        ("CV-EFF", "Weniger Hospitalisierungen bei HFrEF", "efficacy"),
        ("CV-STU", "VELOCITY-HF: 21 % relative Risikoreduktion", "study"),
        ("CV-SAF", "Verträglichkeit auch bei eingeschränkter Nierenfunktion", "safety"),
        ("CV-DOS", "Einmal täglich, ohne Auftitration", "dosing"),
        ("CV-PAT", "Patientenprogramm „HerzAktiv“", "patient-support"),
    )),
    ProductDef("Glucaria", "Diabetes", 20, True, "Diabetes-Forum", (
        ("GL-EFF", "HbA1c-Senkung um 0,9 Prozentpunkte", "efficacy"),
        ("GL-STU", "GLIDE-Studie: kardiorenaler Nutzen", "study"),
        ("GL-SAF", "Geringes Hypoglykämierisiko", "safety"),
        ("GL-PAT", "Diabetes-Coach-App für Patienten", "patient-support"),
    )),
    ProductDef("Respiral", "Respiratory", 10, True, "Pneumologie kompakt", (
        ("RS-EFF", "Bessere Lungenfunktion ab dem ersten Tag", "efficacy"),
        ("RS-DOS", "Ein Inhalator, einmal täglich", "dosing"),
        ("RS-PAT", "Inhalationsschulung für das Praxisteam", "patient-support"),
        ("RS-STU", "BREATHE-2: weniger Exazerbationen", "study"),
    )),
    ProductDef("Migranex", "Neurology", 8, True, "Kopfschmerz-Symposium", (
        ("MG-EFF", "Weniger Migränetage pro Monat", "efficacy"),
        ("MG-SAF", "Verträglichkeit in der Langzeitanwendung", "safety"),
        ("MG-DOS", "Monatlicher Pen zur Selbstinjektion", "dosing"),
    )),
    ProductDef("Rheumabion", "Rheumatology", None, True, "Rheuma-Dialog", (
        ("RB-STU", "Fünfjahresdaten aus dem Register", "study"),
        ("RB-SAF", "Infektionsrisiko richtig einordnen", "safety"),
        ("RB-DOS", "Dosierintervall alle vier Wochen", "dosing"),
        ("RB-PAT", "Pen-Schulung und Injektionsservice", "patient-support"),
    )),
    ProductDef("Oncotrix", "Oncology", 4, False, "Onkologie-Kolloquium", (
        ("OT-EFF", "Verlängertes progressionsfreies Überleben", "efficacy"),
        ("OT-STU", "ONCO-7: Daten zum Gesamtüberleben", "study"),
        ("OT-SAF", "Nebenwirkungen früh erkennen und behandeln", "safety"),
    )),
)

FEMALE = (
    "Anna", "Lena", "Sophie", "Katrin", "Sabine", "Susanne", "Petra", "Claudia", "Julia",
    "Laura", "Hannah", "Marie", "Johanna", "Franziska", "Theresa", "Käthe", "Bärbel",
    "Jördis", "Maren", "Ute", "Birgit", "Christiane", "Eva", "Miriam", "Carolin", "Kerstin",
    "Ayşe", "Natalia", "Katarzyna", "Ingrid", "Renate", "Anke", "Silke", "Dörte", "Henrike",
)
MALE = (
    "Jürgen", "Jörg", "Björn", "Sören", "Günter", "Jörn", "Uwe", "Maximilian", "Lukas",
    "Felix", "Jonas", "Paul", "Tobias", "Florian", "Sebastian", "Stefan", "Andreas",
    "Michael", "Thomas", "Christian", "Markus", "Matthias", "Hans-Jürgen", "Klaus", "Ralf",
    "Mehmet", "Ioannis", "Piotr", "Bernd", "Frank", "Wolfgang", "Dietmar", "Lutz", "Götz",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze",
    "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs",
    "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
    "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus",
    "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß",
    "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich",
    "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Voigt",
    "Sauer", "Arnold", "Pfeiffer", "Fröhlich", "Brückner", "Großmann", "Süßmuth", "Gößling",
    "Weißenberger", "Nußbaum", "Öztürk", "Yılmaz", "Nowak", "Kowalski", "Papadopoulos",
)
#: (title, probability) of a doctor's academic title; None: no doctorate.
TITLES = (("Dr. med.", 0.78), ("Prof. Dr. med.", 0.04), ("PD Dr. med.", 0.02), ("Dr.", 0.04),
          (None, 0.12))
STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenstraße",
    "Mozartstraße", "Gartenstraße", "Kirchstraße", "Marktplatz", "Friedrichstraße",
    "Ludwigstraße", "Maximilianstraße", "Königstraße", "Schloßstraße", "Bergstraße",
    "Am Mühlbach", "Rosenweg", "Luisenstraße", "Wilhelmstraße", "Kaiserstraße", "Jahnstraße",
    "Uhlandstraße", "Mühlenweg", "Domplatz", "Große Straße", "Fürstenweg", "Süderstraße",
    "Bürgermeister-Müller-Straße", "Theodor-Heuss-Ring", "Am Klinikum",
)
HOSPITALS = (
    "Klinikum {city}", "Städtisches Klinikum {city}", "St.-Marien-Krankenhaus {city}",
    "Evangelisches Krankenhaus {city}", "Krankenhaus der Barmherzigen Brüder {city}",
    "St.-Josef-Hospital {city}", "Kreisklinik {city}",
)
HOSPITAL_SITES = ("", " Nord", " Süd", " Ost", " West", " Mitte")
#: Department names by specialty code.
DEPARTMENTS = {
    "IM": "Medizinische Klinik I", "CARD": "Klinik für Kardiologie",
    "DIAB": "Medizinische Klinik II (Diabetologie)", "ENDO": "Klinik für Endokrinologie",
    "NEPH": "Klinik für Nephrologie", "ANGI": "Klinik für Angiologie",
    "NEUR": "Klinik für Neurologie", "PSY": "Klinik für Psychiatrie und Psychotherapie",
    "PNEU": "Klinik für Pneumologie", "RHEU": "Klinik für Rheumatologie",
    "DERM": "Klinik für Dermatologie", "GAST": "Klinik für Gastroenterologie",
    "ONC": "Klinik für Hämatologie und Onkologie", "GER": "Klinik für Geriatrie",
}


@dataclass(frozen=True)
class Persona:
    name: str
    weight: float  # base share among doctors
    affinity: dict[str, float]  # how much the doctor likes each channel; sums to 1
    favoured: frozenset[str]  # key-message topics
    disliked: frozenset[str]
    minutes: dict[str, tuple[int, int]]  # call duration range by channel
    cap: tuple[int, int]  # contact_cap_per_month range
    products_per_call: tuple[float, float, float]  # weights of 1, 2, 3 products
    hints: tuple[str, ...]  # what a rep writes that gives the persona away


PERSONAS = {
    p.name: p
    for p in (
        Persona(
            "evidence_driven", 0.33,
            {IN_PERSON: 0.40, EVENT: 0.30, VIDEO: 0.12, EMAIL: 0.10, PHONE: 0.08},
            frozenset({"study", "efficacy"}), frozenset({"patient-support"}),
            {IN_PERSON: (15, 35), PHONE: (8, 15), VIDEO: (20, 40), EVENT: (90, 180)},
            (1, 2), (0.4, 0.4, 0.2),
            ("Bittet um die Originalpublikation.", "Diskutiert Subgruppenanalysen ausführlich.",
             "Fragt nach Leitlinienempfehlung und Evidenzgrad."),
        ),
        Persona(
            "pragmatic", 0.42,
            {IN_PERSON: 0.40, PHONE: 0.35, EMAIL: 0.12, VIDEO: 0.08, EVENT: 0.05},
            frozenset({"dosing", "safety"}), frozenset({"study"}),
            {IN_PERSON: (5, 12), PHONE: (3, 8), VIDEO: (10, 20), EVENT: (60, 120)},
            (1, 2), (0.7, 0.25, 0.05),
            ("Möchte es kurz und praxisnah.", "Nur wenige Minuten zwischen zwei Patienten.",
             "Interessiert vor allem an der Anwendung im Praxisalltag."),
        ),
        Persona(
            "digital_affine", 0.25,
            {EMAIL: 0.38, VIDEO: 0.32, IN_PERSON: 0.14, PHONE: 0.08, EVENT: 0.08},
            frozenset({"patient-support"}), frozenset(),
            {IN_PERSON: (8, 20), PHONE: (5, 10), VIDEO: (15, 30), EVENT: (60, 120)},
            (2, 4), (0.55, 0.35, 0.10),
            ("Bevorzugt Unterlagen per E-Mail.", "Möchte den Link zur Webinar-Aufzeichnung.",
             "Nutzt das Online-Portal für Fachinformationen."),
        ),
    )
}
#: Institutions: no persona, neutral towards channels and topics.
HCO_MINUTES = {IN_PERSON: (20, 60), PHONE: (5, 15), VIDEO: (20, 45), EVENT: (90, 180)}
HCO_AFFINITY = dict.fromkeys(CHANNELS, 0.2)
HCO_RESPONSIVENESS = 0.5

NOTES = {
    ("efficacy", "positive"): "Überzeugt von den Wirksamkeitsdaten, will es bei geeigneten "
                              "Patienten einsetzen.",
    ("efficacy", "neutral"): "Wirksamkeitsdaten vorgestellt, noch keine klare Meinung.",
    ("efficacy", "negative"): "Sieht keinen Vorteil gegenüber der bisherigen Therapie.",
    ("study", "positive"): "Großes Interesse an den Studiendaten, Sonderdruck zugesagt.",
    ("study", "neutral"): "Studiendaten kurz besprochen.",
    ("study", "negative"): "Zu viele Details, wenig Zeit für Studiendaten.",
    ("safety", "positive"): "Sicherheitsprofil überzeugt, keine offenen Fragen.",
    ("safety", "neutral"): "Fragen zur Verträglichkeit beantwortet.",
    ("safety", "negative"): "Bedenken wegen Nebenwirkungen bei älteren Patienten.",
    ("dosing", "positive"): "Einfache Dosierung kommt gut an.",
    ("dosing", "neutral"): "Dosierung erklärt.",
    ("dosing", "negative"): "Findet die Umstellung im Alltag zu aufwendig.",
    ("patient-support", "positive"): "Möchte das Patientenmaterial für das Wartezimmer.",
    ("patient-support", "neutral"): "Patientenprogramm vorgestellt.",
    ("patient-support", "negative"): "Kein Bedarf an Patientenmaterial.",
}
EMAIL_NOTES = {"positive": "Mailing geöffnet, Link angeklickt.",
               "neutral": "Mailing geöffnet.", "negative": "Mailing nicht geöffnet."}
FATIGUE_HINTS = ("Wirkte genervt von der Besuchsfrequenz.", "Bittet um weniger Kontakte.")
HCO_OPENERS = ("Gespräch mit dem Praxisteam.", "Stationsbesuch, Gespräch mit der Oberärztin.",
               "Termin mit der Praxismanagerin.", "Kurzer Austausch nach der Visite.")
#: Medical questions doctors asked the demo rep (in their words), escalated to the MSL.
ESCALATION_QUESTIONS = (
    "Kann ich das bei einer Patientin mit Dialyse geben, und in welcher Dosis?",
    "Gibt es Daten zur Kombination mit einem SGLT2-Hemmer bei über 80-Jährigen?",
    "Wie war die Abbruchrate in der Zulassungsstudie wegen Nebenwirkungen?",
)

FOLLOW_UPS = {
    "study": "Sonderdruck der Studie senden", "efficacy": "Wirksamkeitsdaten als Übersicht "
    "nachreichen", "safety": "Fachinformation mitbringen",
    "dosing": "Dosierkarte für die Praxis mitbringen",
    "patient-support": "Patientenmaterial bestellen",
}
CONTACT_TIMES = {
    "evidence_driven": ("Mittwochnachmittag", "nach Terminvereinbarung"),
    "pragmatic": ("vor der Sprechstunde (7:30–8:00)", "in der Mittagspause"),
    "digital_affine": ("Videotermin am Nachmittag", "jederzeit per E-Mail"),
}
MAIL_DOMAINS = ("t-online.de", "gmx.de", "web.de", "posteo.de")
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ş": "s", "ı": "i"})


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DemoSummary:
    """What `generate` wrote: the people to sign in as, and row counts."""

    seed: int
    rep_id: str
    msl_id: str
    manager_id: str
    territory_id: str
    accounts: int
    hcps: int
    hcos: int
    interactions: int  # every status
    submitted: int
    planned: int
    drafts: int
    samples: int
    tasks: int
    open_tasks: int
    rows: int  # every row in every table
    not_received: int = 0  # submitted visits the doctor did not receive (in `submitted`)


class DemoCancelledError(ServiceError):
    """The person cancelled the generation; the transaction was rolled back."""


@dataclass(frozen=True)
class Batch:
    """Rows for one table, and how many accounts are complete once they are in."""

    table: Table
    rows: list[Row]
    accounts_done: int


# --------------------------------------------------------------------------- helpers


class _Ids:
    """UUIDv7-shaped ids from the seed: reproducible, and increasing in insert order.

    The 48-bit time counts milliseconds up from `start`, 4096 ids per millisecond (the
    sequence field), so rows append to the primary-key B-tree as real UUIDv7s would.
    """

    def __init__(self, rng: random.Random, start: dt.datetime) -> None:
        self._rng = rng
        self._ms = int(start.replace(tzinfo=dt.UTC).timestamp() * 1000)
        self._n = 0

    def __call__(self) -> str:
        n = self._n
        self._n += 1
        value = ((self._ms + (n >> 12)) << 80) | (0x7 << 76) | ((n & 0xFFF) << 64) \
            | (0b10 << 62) | self._rng.getrandbits(62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class _Picker:
    """Weighted choices from a fixed table, with the cumulative weights computed once."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def reaction(rng: random.Random, score: float) -> str:
    """A doctor's reaction to one key message, from the score of the module docstring."""
    p_pos = _clamp(1.2 * score - 0.25, 0.02, 0.95)
    p_neg = _clamp(0.55 - score, 0.02, 0.90)
    u = rng.random()
    if u < p_pos:
        return "positive"
    return "negative" if u < p_pos + p_neg else "neutral"


def lanr(number: int, group: int) -> str:
    """A LANR: six digits, the KBV check digit (weights 4 and 9), the specialty group."""
    digits = f"{number:06d}"
    total = sum(int(d) * (4 if i % 2 == 0 else 9) for i, d in enumerate(digits))
    return f"{digits}{(10 - total % 10) % 10}{group:02d}"


def _signature(rng: random.Random) -> str:
    """Pen strokes as the signature pad stores them: [[[x, y], ...], ...], 0..1."""
    strokes = []
    x = rng.uniform(0.08, 0.2)
    for _ in range(rng.randint(2, 3)):
        y = rng.uniform(0.4, 0.6)
        points = []
        for _ in range(rng.randint(6, 12)):
            x = min(0.95, x + rng.uniform(0.01, 0.05))
            y = _clamp(y + rng.uniform(-0.08, 0.08), 0.1, 0.9)
            points.append([round(x, 3), round(y, 3)])
        strokes.append(points)
        x = min(0.9, x + 0.04)
    return json.dumps(strokes, separators=(",", ":"))


def _ascii(value: str) -> str:
    """'Jörg' -> 'joerg', for e-mail addresses."""
    return fold(value.translate(_ASCII)).replace(" ", "-")


class _Rows:
    """The rows of one chunk by table, in the order foreign keys need them inserted."""

    ORDER = ("territories", "users", "specialties", "products", "key_messages",
             "territory_products", "accounts", "addresses", "external_ids", "channel_consents",
             "demo_truth", "affiliations", "interactions", "discussed_products",
             "discussed_key_messages", "samples", "attendees", "tasks", "medical_inquiries",
             "audit_log", "market_sales", "local_state")

    def __init__(self) -> None:
        self.tables: dict[str, list[Row]] = {name: [] for name in self.ORDER}

    def add(self, table: str, row: Row) -> None:
        self.tables[table].append(row)


@dataclass(slots=True)
class _Staff:
    """A doctor working at an institution (an affiliation, and a possible attendee)."""

    hcp_id: str
    name: str
    primary: bool
    female: bool
    title: str | None
    last_name: str


@dataclass(slots=True)
class _Hco:
    id: str
    kind: str  # practice, department, hospital
    name: str
    city: City
    specialty: SpecialtyDef | None
    line1: str
    postcode: str
    lat: float
    lon: float
    university: bool = False
    staff: list[_Staff] = field(default_factory=list)


@dataclass(slots=True)
class _Contact:
    """Whom a history is generated for: a doctor with a persona, or an institution."""

    account_id: str
    address_id: str
    signer: str | None  # the doctor's name, for sample signatures; None for institutions
    persona: Persona | None
    affinity: dict[str, float]
    responsiveness: float
    cap: int
    channels: list[str]  # channels the rep may use (consent)
    products: list[int]  # indexes into the promotable products, most relevant first
    calls: int  # calls over the whole window
    staff: list[_Staff] = field(default_factory=list)
    given: dict[tuple[int, int], int] = field(default_factory=dict)  # (product, year) -> qty


@dataclass(slots=True)
class _Call:
    """One generated call before it becomes rows."""

    id: str
    at: dt.datetime
    channel: str
    owner: str
    products: list[int]
    messages: list[tuple[str, str, str]]  # (key message id, topic, title)
    reactions: list[str]


@dataclass
class _Counts:
    rows: int = 0
    interactions: int = 0
    submitted: int = 0
    planned: int = 0
    drafts: int = 0
    samples: int = 0
    tasks: int = 0
    open_tasks: int = 0
    not_received: int = 0


# --------------------------------------------------------------------------- the generator

#: Hours a call of each channel may start at (events: see `_start_at`).
HOURS = {IN_PERSON: (8, 17), PHONE: (8, 18), VIDEO: (12, 18), EMAIL: (7, 19)}
HCO_PRODUCTS_PER_CALL = (0.5, 0.35, 0.15)
ROLES = {  # (kind, primary) -> (male, female) role titles
    ("practice", True): ("Inhaber", "Inhaberin"),
    ("practice", False): ("angestellter Arzt", "angestellte Ärztin"),
    ("hospital", True): ("Oberarzt", "Oberärztin"),
    ("hospital", False): ("Konsiliararzt", "Konsiliarärztin"),
}
DEPARTMENT_ROLES = (("Oberarzt", "Oberärztin"), ("Facharzt", "Fachärztin"),
                    ("Assistenzarzt", "Assistenzärztin"))


class DemoGenerator:
    """Makes the demo rows, table by table in foreign-key order, as `Batch`es.

    `generate` loads them; the store benchmark loads the same batches into two databases.
    Iterate `batches()` once, then read `summary()`.
    """

    def __init__(self, *, accounts: int = 2000, seed: int = 7, years: int = 2,
                 today: dt.date | None = None) -> None:
        self.n_accounts = accounts
        self.n_hcos = round(accounts * HCO_SHARE) if accounts > 1 else 0
        self.n_hcps = accounts - self.n_hcos
        self.seed = seed
        self.today = today or dt.date.today()
        self.start = self.today - dt.timedelta(days=365 * years)
        self.window_days = (self.today - self.start).days
        self.stamp = dt.datetime.combine(self.today, dt.time(6, 0))
        self.now = dt.datetime.combine(self.today, dt.time(7, 0))
        self.rng = random.Random(seed)
        self.new_id = _Ids(random.Random(seed + 1), dt.datetime.combine(self.today, dt.time()))
        self.counts = _Counts()
        self.territory_id = self.rep_id = self.msl_id = self.manager_id = ""
        self.specialty_ids: dict[str, str] = {}
        self.promotable: list[ProductDef] = []
        self.promotable_ids: list[str] = []
        self.messages: list[list[tuple[str, str, str]]] = []  # (id, topic, title) by product
        self.relevant: dict[str, list[int]] = {}  # specialty code -> promotable products
        self.hco_index: dict[str, list[_Hco]] = {}  # city -> institutions
        self.hco_by_specialty: dict[tuple[str, str], list[_Hco]] = {}  # (city, specialty)
        self._hospital_names: set[str] = set()
        #: Doctors for today's agenda: the rep's home city first, any doctor as a fallback.
        self._home_pool: list[tuple[str, str, list[int]]] = []
        self._any_pool: list[tuple[str, str, list[int]]] = []
        self._city = _Picker(CITIES, [c.weight for c in CITIES])
        self._specialty = _Picker(SPECIALTIES, [s.weight for s in SPECIALTIES])
        self._title = _Picker([t for t, _ in TITLES], [w for _, w in TITLES])
        self._hco_kind = _Picker([k for k, _ in HCO_KINDS], [w for _, w in HCO_KINDS])
        #: Sales figures draw from their own generators: the rest stays as the seed made it.
        sales_ids = _Ids(random.Random(seed + 3),
                         dt.datetime.combine(self.today, dt.time(12, 0)))
        self.sales = SalesFigures(seed, self.today, "", lambda: self._synced(sales_ids()))
        #: What outside systems report about the doctors, posted through the integration
        #: API by the demo server (app/demo/touchpoints.py), not loaded as rows.
        self.touchpoints = DemoTouchpoints(seed, self.today)
        #: So do the visits doctors did not receive (`_failed_visits`).
        self._access_rng = random.Random(seed + 5)
        self._access_ids = _Ids(random.Random(seed + 6),
                                dt.datetime.combine(self.today, dt.time(18, 0)))

    # ---- public

    def batches(self) -> Iterator[Batch]:
        """Every row, in chunks of accounts, parents before children."""
        yield from self._emit(self._reference(), 0, 0)
        hcos = self._plan_hcos()
        lanrs = self.rng.sample(range(100_000, 1_000_000), self.n_hcps)
        done = 0
        for start in range(0, self.n_hcps, CHUNK_ACCOUNTS):
            rows = _Rows()
            for number in lanrs[start:start + CHUNK_ACCOUNTS]:
                self._hcp(rows, number)
            yield from self._emit(rows, done, done := done + len(rows.tables["accounts"]))
        bsnrs = self.rng.sample(range(1_000_000, 10_000_000), self.n_hcos)
        for start in range(0, self.n_hcos, CHUNK_ACCOUNTS):
            rows = _Rows()
            for hco, bsnr in zip(hcos[start:start + CHUNK_ACCOUNTS],
                                 bsnrs[start:start + CHUNK_ACCOUNTS], strict=True):
                self._hco(rows, hco, bsnr)
            yield from self._emit(rows, done, done := done + len(rows.tables["accounts"]))
        bricks = _Rows()
        bricks.tables["market_sales"] = self.sales.bricks()
        yield from self._emit(bricks, done, done)
        yield from self._emit(self._agenda(), done, done)

    def summary(self) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            seed=self.seed, rep_id=self.rep_id, msl_id=self.msl_id, manager_id=self.manager_id,
            territory_id=self.territory_id, accounts=self.n_accounts, hcps=self.n_hcps,
            hcos=self.n_hcos, interactions=c.interactions, submitted=c.submitted,
            planned=c.planned, drafts=c.drafts, samples=c.samples, tasks=c.tasks,
            open_tasks=c.open_tasks, rows=c.rows, not_received=c.not_received,
        )

    # ---- plumbing

    def _emit(self, rows: _Rows, before: int, after: int) -> Iterator[Batch]:
        """The chunk's tables as batches; only the last one completes the chunk's accounts."""
        filled = [(name, r) for name, r in rows.tables.items() if r]
        for i, (name, table_rows) in enumerate(filled):
            self.counts.rows += len(table_rows)
            yield Batch(TABLES[name], table_rows, after if i == len(filled) - 1 else before)

    def _synced(self, row_id: str | None = None, at: dt.datetime | None = None) -> Row:
        return {"id": row_id or self.new_id(), "version": 0, "updated_at": at or self.stamp,
                "deleted": False}

    # ---- reference data

    def _reference(self) -> _Rows:
        rows = _Rows()
        demo, other = self.new_id(), self.new_id()
        self.territory_id = self.sales.territory_id = demo
        rows.add("territories", {**self._synced(demo), "code": "DE-DEMO",
                                 "name": "Demo-Gebiet Deutschland"})
        rows.add("territories", {**self._synced(other), "code": "DE-ONK",
                                 "name": "Onkologie Deutschland"})
        users = (("rep", "Jörg Krüger", Role.REP), ("msl", "Dr. Käthe Groß", Role.MSL),
                 ("manager", "Katrin Weiß", Role.MANAGER))
        ids = []
        for username, display, role in users:
            ids.append(self.new_id())
            first, last = display.removeprefix("Dr. ").split(" ")
            rows.add("users", {**self._synced(ids[-1]), "username": username,
                               "display_name": display, "role": role.value,
                               "email": f"{_ascii(first)}.{_ascii(last)}@fieldrep.example",
                               "territory_id": demo})
        self.rep_id, self.msl_id, self.manager_id = ids
        for sp in SPECIALTIES:
            self.specialty_ids[sp.code] = self.new_id()
            rows.add("specialties", {**self._synced(self.specialty_ids[sp.code]),
                                     "code": sp.code, "name_en": sp.name_en,
                                     "name_de": sp.name_de})
        for product in PRODUCTS:
            self._product(rows, product, demo, other)
        index = {p.name: i for i, p in enumerate(self.promotable)}
        # Cardio-oncology: a specialty whose products are all unpromotable still hears of one.
        self.relevant = {sp.code: [index[n] for n in sp.products if n in index]
                         or [index["Cardiovel"]] for sp in SPECIALTIES}
        return rows

    def _product(self, rows: _Rows, product: ProductDef, demo: str, other: str) -> None:
        pid = self.new_id()
        rows.add("products", {**self._synced(pid), "name": product.name,
                              "therapeutic_area": product.therapeutic_area,
                              "yearly_sample_limit": product.yearly_sample_limit,
                              "active": True})
        messages = []
        for position, (code, title, topic) in enumerate(product.messages, start=1):
            kid = self.new_id()
            messages.append((kid, topic, title))
            rows.add("key_messages", {**self._synced(kid), "product_id": pid,
                                      "position": position, "code": code, "title": title,
                                      "topic": topic})
        for territory in (demo, other) if product.promotable else (other,):
            rows.add("territory_products", {**self._synced(), "territory_id": territory,
                                            "product_id": pid})
        if product.promotable:
            self.promotable.append(product)
            self.promotable_ids.append(pid)
            self.messages.append(messages)

    # ---- institutions, planned before the doctors who work there

    def _address(self, city: City) -> tuple[str, str, float, float]:
        """A street address in the city, coordinates jittered a few km around its centre."""
        rng = self.rng
        return (f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                city.postcode(rng.randint(*city.plz)),
                round(city.lat + rng.gauss(0, 0.025), 5),
                round(city.lon + rng.gauss(0, 0.035), 5))

    def _plan_hcos(self) -> list[_Hco]:
        """Institutions, in memory: doctors join them, and they are written after them."""
        kinds = [self._hco_kind(self.rng) for _ in range(self.n_hcos)]
        hospitals = [self._hospital() for kind in kinds if kind == "hospital"]
        hcos = list(hospitals)
        for kind in kinds:
            if kind == "practice" or (kind == "department" and not hospitals):
                hcos.append(self._practice())
            elif kind == "department":
                hcos.append(self._department(self.rng.choice(hospitals)))
        for hco in hcos:
            self.hco_index.setdefault(hco.city.name, []).append(hco)
            if hco.specialty is not None:
                key = (hco.city.name, hco.specialty.code)
                self.hco_by_specialty.setdefault(key, []).append(hco)
        return hcos

    def _hospital(self) -> _Hco:
        city = self._city(self.rng)
        names = [f"Universitätsklinikum {city.name}"] if city.university else []
        names += [t.format(city=city.name) + site for site in HOSPITAL_SITES for t in HOSPITALS]
        name = next((n for n in names if n not in self._hospital_names),
                    f"Klinikum {city.name} {len(self._hospital_names)}")
        self._hospital_names.add(name)
        line1, postcode, lat, lon = self._address(city)
        return _Hco(self.new_id(), "hospital", name, city, None, line1, postcode, lat, lon,
                    university=name.startswith("Universitätsklinikum"))

    def _department(self, hospital: _Hco) -> _Hco:
        code = self.rng.choice(list(DEPARTMENTS))
        return _Hco(self.new_id(), "department", f"{DEPARTMENTS[code]} – {hospital.name}",
                    hospital.city, _SPECIALTY[code], hospital.line1, hospital.postcode,
                    hospital.lat, hospital.lon, university=hospital.university)

    def _practice(self) -> _Hco:
        rng = self.rng
        city = self._city(rng)
        specialty = self._specialty(rng)
        line1, postcode, lat, lon = self._address(city)
        street = line1.rsplit(" ", 1)[0]
        last, partner = rng.choice(LAST_NAMES), rng.choice(LAST_NAMES)
        u = rng.random()
        if u < 0.5:
            name = f"Praxis Dr. med. {last}"
        elif u < 0.7 and partner != last:
            name = f"Gemeinschaftspraxis Dr. med. {last} & Dr. med. {partner}"
        elif u < 0.8 and specialty.primary_care:
            name = f"Hausarztpraxis {street}"
        elif u < 0.9:
            name = f"MVZ {city.name} {street}"
        else:
            name = f"Praxis für {specialty.name_de} {last}"
        return _Hco(self.new_id(), "practice", name, city, specialty, line1, postcode, lat,
                    lon)

    # ---- doctors

    def _affiliations(self, city: City, specialty: SpecialtyDef) -> list[_Hco]:
        """Where a doctor works: 0-2 institutions in the city, the first is the primary."""
        rng = self.rng
        local = self.hco_index.get(city.name, [])
        if not local or rng.random() < 0.10:
            return []
        same = self.hco_by_specialty.get((city.name, specialty.code))
        first = rng.choice(same) if same and rng.random() < 0.8 else rng.choice(local)
        second = rng.choice(local) if rng.random() < 0.15 else first
        return [first] if second is first else [first, second]

    @staticmethod
    def _persona_weights(title: str | None, specialty: SpecialtyDef,
                         at_university: bool) -> list[float]:
        """Weights of evidence_driven, pragmatic, digital_affine (module docstring)."""
        evidence, pragmatic, digital = (p.weight for p in PERSONAS.values())
        if specialty.primary_care:
            pragmatic += 0.15
        if specialty.evidence_heavy:
            evidence += 0.12
        if at_university or (title or "").startswith(("Prof.", "PD ")):
            evidence += 0.25
        if title is None:
            digital += 0.10
        return [evidence, pragmatic, digital]

    def _hcp(self, rows: _Rows, lanr_number: int) -> None:
        rng = self.rng
        female = rng.random() < 0.5
        first = rng.choice(FEMALE if female else MALE)
        last = rng.choice(LAST_NAMES)
        title = self._title(rng)
        name = " ".join(p for p in (title, first, last) if p)
        specialty = self._specialty(rng)
        city = self._city(rng)
        works_at = self._affiliations(city, specialty)
        weights = self._persona_weights(title, specialty, any(h.university for h in works_at))
        persona = rng.choices(list(PERSONAS.values()), weights)[0]
        account_id = self.new_id()
        for i, hco in enumerate(works_at):
            hco.staff.append(_Staff(account_id, name, i == 0, female, title, last))
        line1, postcode, lat, lon = ((works_at[0].line1, works_at[0].postcode, works_at[0].lat,
                                      works_at[0].lon) if works_at else self._address(city))
        products = list(self.relevant[specialty.code])
        rng.shuffle(products)
        segment, potential = self._segment()
        contact = self._doctor_contact(rows, account_id, persona, f"{first} {last}", products,
                                       self._call_count(segment))
        last_contact = self._history(rows, contact)
        lanr_value = lanr(lanr_number, specialty.lanr_group)
        rows.add("accounts", {
            **self._synced(account_id), "kind": AccountKind.HCP.value, "title": title,
            "first_name": first, "last_name": last, "name": name,
            "specialty_id": self.specialty_ids[specialty.code],
            "territory_id": self.territory_id, "segment": segment, "potential": potential,
            "email": self._email(first, last, EMAIL in contact.channels),
            "phone": self._phone(city),
            "preferred_contact_time": (rng.choice(CONTACT_TIMES[persona.name])
                                       if rng.random() < 0.5 else None),
            "preferred_language": "en" if rng.random() < 0.05 else "de", "notes": None,
            **self._derived(last, first, name, city, postcode, specialty, lanr_value),
            "last_contact_at": last_contact,
        })
        rows.add("addresses", self._address_row(contact, line1, postcode, city, lat, lon))
        rows.add("external_ids", {**self._synced(), "account_id": account_id, "system": "LANR",
                                  "value": lanr_value})
        self.touchpoints.add(lanr_value, contact.affinity, EMAIL in contact.channels, [
            (self.promotable[i].name, self.promotable[i].event, self.messages[i][0][2])
            for i in contact.products])
        rows.tables["market_sales"] += self.sales.doctor(
            account_id, postcode, potential, contact.responsiveness,
            contact.calls * 365 / max(self.window_days, 1),
            [(self.promotable_ids[i], self.promotable[i].name) for i in contact.products])
        entry = (account_id, contact.address_id, contact.products)
        if city.name == HOME_CITY and len(self._home_pool) < 200:
            self._home_pool.append(entry)
        elif len(self._any_pool) < 30:
            self._any_pool.append(entry)

    def _email(self, first: str, last: str, consented: bool) -> str | None:
        """Three in five doctors have an address on file; one who agreed to e-mail always
        has (there is no e-mail consent, and no e-mail sent, without an address). The
        consented ones beyond the three in five take a domain without a draw, so the seeded
        demo's other choices stay as they were."""
        rng = self.rng
        if rng.random() < 0.6:
            return f"{_ascii(first)}.{_ascii(last)}@{rng.choice(MAIL_DOMAINS)}"
        if consented:
            domain = MAIL_DOMAINS[len(first + last) % len(MAIL_DOMAINS)]
            return f"{_ascii(first)}.{_ascii(last)}@{domain}"
        return None

    def _doctor_contact(self, rows: _Rows, account_id: str, persona: Persona, signer: str,
                        products: list[int], calls: int) -> _Contact:
        """The doctor's hidden truth (written to demo_truth), consents, and whom the history
        is about."""
        rng = self.rng
        preferred = rng.choices(CHANNELS, [persona.affinity[c] for c in CHANNELS])[0]
        affinity = {c: 0.5 * persona.affinity[c] + (0.5 if c == preferred else 0.0)
                    for c in CHANNELS}
        responsiveness = round(rng.uniform(0.30, 0.95), 2)
        cap = rng.randint(*persona.cap)
        rows.add("demo_truth", {"account_id": account_id, "persona": persona.name,
                                "preferred_channel": preferred,
                                "responsiveness": responsiveness,
                                "contact_cap_per_month": cap})
        consents = self._consents(rows, account_id, persona, preferred, affinity)
        return _Contact(account_id, self.new_id(), signer, persona, affinity, responsiveness,
                        cap, _usable(consents), products, calls)

    def _derived(self, last: str | None, first: str | None, name: str, city: City,
                 postcode: str, specialty: SpecialtyDef | None, external_id: str) -> Row:
        """The local columns, exactly as `app.store.search.refresh_accounts` computes them."""
        return {
            "name_key": name_key(last, first, name), "city": city.name,
            "city_key": fold(city.name) or None, "postcode": postcode,
            "search_text": search_text(name, city.name,
                                       specialty.name_en if specialty else None,
                                       specialty.name_de if specialty else None, external_id),
        }

    def _segment(self) -> tuple[str, float]:
        u = self.rng.random()
        for segment, share, low, high in SEGMENTS:
            if u < share:
                return segment, round(self.rng.uniform(low, high), 2)
            u -= share
        return SEGMENTS[-1][0], SEGMENTS[-1][2]

    def _call_count(self, segment: str) -> int:
        years = self.window_days / 365
        return max(1, round(CALLS_PER_YEAR[segment] * years * self.rng.uniform(0.6, 1.4)))

    def _phone(self, city: City) -> str:
        return f"+49 {city.area} {self.rng.randint(200_000, 9_999_999)}"

    def _address_row(self, contact: _Contact, line1: str, postcode: str, city: City,
                     lat: float, lon: float) -> Row:
        return {**self._synced(contact.address_id), "account_id": contact.account_id,
                "line1": line1, "line2": None, "postcode": postcode, "city": city.name,
                "country": "DE", "latitude": lat, "longitude": lon, "is_primary": True}

    def _consents(self, rows: _Rows, account_id: str, persona: Persona | None,
                  preferred: str | None, affinity: dict[str, float]) -> dict[str, str]:
        """One consent row per channel; the consent state by channel."""
        rng = self.rng
        name = persona.name if persona else ""
        granted = {
            IN_PERSON: 0.85, PHONE: 0.60 + (0.20 if name == "pragmatic" else 0.0),
            VIDEO: 0.35 + (0.50 if name == "digital_affine" else 0.0),
            EMAIL: 0.45 + (0.45 if name == "digital_affine" else 0.0),
            EVENT: 0.55 + (0.25 if name == "evidence_driven" else 0.0),
        }
        withdrawn = {PHONE: 0.05, EMAIL: 0.02 if name == "digital_affine" else 0.10}
        told = preferred is not None and rng.random() < 0.70
        ranks = ({c: i for i, c in enumerate(sorted(CHANNELS, key=lambda c: -affinity[c]), 1)}
                 if preferred is not None and rng.random() < 0.55 else {})
        states: dict[str, str] = {}
        for channel in CHANNELS:
            u = rng.random()
            if channel == preferred or u < granted[channel]:
                state = GRANTED
            elif u < granted[channel] + withdrawn.get(channel, 0.0):
                state = WITHDRAWN
            else:
                state = UNKNOWN
            states[channel] = state
            known = state != UNKNOWN
            rows.add("channel_consents", {
                **self._synced(), "account_id": account_id, "channel": channel,
                "consent": state,
                "consent_date": (self.start - dt.timedelta(days=rng.randint(30, 900))
                                 if known else None),
                "preferred": told and channel == preferred,
                "preference_rank": ranks.get(channel),
                # Typed by German reps, in German like the demo's notes (an English "signed
                # form" read as an untranslated word in the German UI).
                "source": (("Online-Portal" if channel in (EMAIL, VIDEO)
                            else rng.choice(("unterschriebenes Formular", "mündlich"))) if known
                           else None),
            })
        return states

    # ---- institutions, written

    def _hco(self, rows: _Rows, hco: _Hco, bsnr: int) -> None:
        rng = self.rng
        hco.name = _named_after_staff(hco)
        segment, potential = ("A", round(rng.uniform(0.7, 1.0), 2)) \
            if hco.kind == "hospital" else self._segment()
        consents = self._consents(rows, hco.id, None, None, HCO_AFFINITY)
        spec = hco.specialty
        products = list(self.relevant[spec.code] if spec else range(len(self.promotable)))
        rng.shuffle(products)
        contact = _Contact(hco.id, self.new_id(), None, None, HCO_AFFINITY, HCO_RESPONSIVENESS,
                           99, _usable(consents), products[:3], self._call_count("HCO"),
                           hco.staff)
        last_contact = self._history(rows, contact)
        bsnr_value = f"{hco.city.kv:02d}{bsnr:07d}"
        rows.add("accounts", {
            **self._synced(hco.id), "kind": AccountKind.HCO.value, "title": None,
            "first_name": None, "last_name": None, "name": hco.name,
            "specialty_id": self.specialty_ids[spec.code] if spec else None,
            "territory_id": self.territory_id, "segment": segment, "potential": potential,
            "email": None, "phone": self._phone(hco.city), "preferred_contact_time": None,
            "preferred_language": "de", "notes": None,
            **self._derived(None, None, hco.name, hco.city, hco.postcode, spec, bsnr_value),
            "last_contact_at": last_contact,
        })
        rows.add("addresses", self._address_row(contact, hco.line1, hco.postcode, hco.city,
                                                hco.lat, hco.lon))
        rows.add("external_ids", {**self._synced(), "account_id": hco.id, "system": "BSNR",
                                  "value": bsnr_value})
        for i, member in enumerate(hco.staff):
            if hco.kind == "department":
                roles = (("Chefarzt", "Chefärztin") if (member.title or "").startswith("Prof.")
                         else rng.choice(DEPARTMENT_ROLES))
            else:
                # Practices have one or two owners; the others are employed.
                roles = ROLES[hco.kind, member.primary and (hco.kind != "practice" or i < 2)]
            rows.add("affiliations", {**self._synced(), "hcp_id": member.hcp_id,
                                      "hco_id": hco.id, "role": roles[member.female],
                                      "is_primary": member.primary})

    # ---- history

    def _history(self, rows: _Rows, contact: _Contact) -> dt.datetime | None:
        """The account's submitted calls over the window; the start of the latest."""
        rng = self.rng
        channels = contact.channels
        pick = _Picker(channels, [REP_HABIT_WEIGHT * REP_HABIT[c] + (1 - REP_HABIT_WEIGHT)
                                  * contact.affinity[c] for c in channels])
        calls = sorted((self._start_at(channel, self.start + dt.timedelta(
            days=rng.randrange(self.window_days))), channel)
            for channel in (pick(rng) for _ in range(contact.calls)))
        month = dt.timedelta(days=30)
        left = 0
        for i, (at, channel) in enumerate(calls):
            while calls[left][0] <= at - month:
                left += 1
            over = max(0, i - left + 1 - contact.cap)
            self._submitted_call(rows, contact, at, channel, over)
        if contact.persona is not None:
            self._failed_visits(rows, contact, [at for at, channel in calls
                                                if channel == IN_PERSON])
        return calls[-1][0] if calls else None

    def _failed_visits(self, rows: _Rows, contact: _Contact,
                       visits: list[dt.datetime]) -> None:
        """Visits the doctor did not receive: the attempts before a visit that took place
        (one at most each), and for the severely restricted one or two in the last weeks,
        after his last visit. Submitted, marked not received, nothing discussed (the rule of
        `app.compliance`); never the account's last contact. Drawn from a generator of
        their own, so the rest of the demo stays as the seed made it."""
        rng = self._access_rng
        levels = [level for level, _share, _fails in ACCESS]
        level = rng.choices(levels, [share for _level, share, _fails in ACCESS])[0]
        fails = next(f for name, _share, f in ACCESS if name == level)
        attempts = [at - dt.timedelta(days=rng.randint(2, 12))
                    for at in visits if rng.random() < fails]
        if level == "severely restricted" and visits:
            last = max(visits)
            for _ in range(rng.randint(1, 2)):
                day = self.today - dt.timedelta(days=rng.randint(3, 25))
                if day > last.date():
                    attempts.append(dt.datetime.combine(day, dt.time(rng.randint(8, 16))))
        for when in attempts:
            at = when - dt.timedelta(days=max(0, when.weekday() - 4))  # a weekday
            if at.date() < self.start or at >= self.now:
                continue
            submitted = min(at + dt.timedelta(minutes=rng.randint(10, 180)), self.now)
            rows.add("interactions", {
                **self._synced(self._access_ids(), submitted),
                "account_id": contact.account_id, "owner_id": self.rep_id,
                "channel": IN_PERSON, "status": SUBMITTED, "start_at": at,
                "duration_min": None, "address_id": contact.address_id, "subject": "Besuch",
                "notes": rng.choice(NOT_RECEIVED_NOTES), "follow_up": None,
                "follow_up_date": None, "signature": None, "signer_name": None,
                "signed_at": None, "submitted_at": submitted, "not_received": True,
            })
            self.counts.interactions += 1
            self.counts.submitted += 1
            self.counts.not_received += 1

    def _start_at(self, channel: str, day: dt.date) -> dt.datetime:
        """When a call starts: working hours; events in the evening or on a Saturday
        morning; calls that fall on a weekend move to the Friday before."""
        rng = self.rng
        weekday = day.weekday()
        if channel == EVENT:
            if weekday == 6:
                day -= dt.timedelta(days=1)
            if day.weekday() == 5:
                return dt.datetime(day.year, day.month, day.day, rng.choice((9, 10)))
            return dt.datetime(day.year, day.month, day.day, rng.choice((18, 19)),
                               rng.choice((0, 30)))
        if weekday >= 5:
            day -= dt.timedelta(days=weekday - 4)
        minute = rng.randrange(60) if channel == EMAIL else rng.randrange(0, 60, 15)
        return dt.datetime(day.year, day.month, day.day, rng.randint(*HOURS[channel]), minute)

    def _submitted_call(self, rows: _Rows, contact: _Contact, at: dt.datetime, channel: str,
                        over: int) -> None:
        rng = self.rng
        persona = contact.persona
        msl = persona is not None and channel in (IN_PERSON, VIDEO) and rng.random() < 0.12
        call = self._content(contact, at, channel, msl, FATIGUE ** over)
        minutes = self._minutes(contact, channel, FATIGUE ** over)
        end = at + dt.timedelta(minutes=minutes or 0)
        submitted = min(end + dt.timedelta(minutes=rng.randint(5, 240)
                                           + (1440 if rng.random() < 0.2 else 0)), self.now)
        sample = (self._sample(rows, contact, call, submitted)
                  if contact.signer and channel == IN_PERSON and not msl else None)
        follow_up, follow_date = None, None
        if rng.random() < 0.07:
            topic = call.messages[0][1] if call.messages else ""
            follow_up = FOLLOW_UPS.get(topic, "Folgetermin vereinbaren")
            follow_date = at.date() + dt.timedelta(days=rng.randint(7, 21))
            self._task(rows, contact.account_id, call, follow_up, follow_date, submitted)
        rows.add("interactions", {
            **self._synced(call.id, submitted), "account_id": contact.account_id,
            "owner_id": call.owner, "channel": channel, "status": SUBMITTED, "start_at": at,
            "duration_min": minutes,
            "address_id": contact.address_id if channel == IN_PERSON else None,
            "subject": self._subject(call, msl), "notes": self._notes(contact, call, msl, over),
            "follow_up": follow_up, "follow_up_date": follow_date,
            "signature": _signature(rng) if sample else None,
            "signer_name": contact.signer if sample else None,
            "signed_at": end if sample else None, "submitted_at": submitted,
            "not_received": False,
        })
        self._children(rows, call, submitted)
        self._attendees(rows, contact, call, submitted)
        self.counts.interactions += 1
        self.counts.submitted += 1

    def _content(self, contact: _Contact, at: dt.datetime, channel: str, msl: bool,
                 fatigue: float) -> _Call:
        """Products in priority order, key messages and the doctor's reactions."""
        rng = self.rng
        persona = contact.persona
        weights = persona.products_per_call if persona else HCO_PRODUCTS_PER_CALL
        count = 1 if channel == EMAIL else rng.choices((1, 2, 3), weights)[0]
        count = min(count, len(contact.products))
        products = (contact.products[:count] if rng.random() < 0.7
                    else rng.sample(contact.products, count))
        favoured = persona.favoured if persona else frozenset()
        disliked = persona.disliked if persona else frozenset()
        messages: list[tuple[str, str, str]] = []
        for position, product in enumerate(products):
            wanted = (1 if channel == EMAIL or rng.random() < 0.5 else 2) if position == 0 \
                else (1 if rng.random() < 0.4 else 0)
            options = self.messages[product]
            if msl:
                options = [m for m in options if m[1] in ("study", "safety")] or options
            messages += _weighted_sample(rng, options, [2.5 if m[1] in favoured else 1.0
                                                        for m in options], wanted)
        channel_term = 0.6 * (contact.affinity[channel] - 0.2)
        base = contact.responsiveness * fatigue + channel_term
        reactions = [reaction(rng, base + (0.25 if topic in favoured else -0.25
                                           if topic in disliked else 0.0))
                     for _, topic, _ in messages]
        return _Call(self.new_id(), at, channel, self.msl_id if msl else self.rep_id, products,
                     messages, reactions)

    def _minutes(self, contact: _Contact, channel: str, fatigue: float) -> int | None:
        if channel == EMAIL:
            return None
        low, high = (contact.persona.minutes if contact.persona else HCO_MINUTES)[channel]
        minutes = self.rng.randint(low, high) * (0.6 + 0.4 * fatigue)
        return max(1, round(minutes / 5) * 5 if minutes >= 10 else round(minutes))

    def _subject(self, call: _Call, msl: bool) -> str:
        product = self.promotable[call.products[0]]
        if msl:
            return f"Medizinischer Austausch: {product.name}"
        if call.channel == EMAIL:
            return f"E-Mail: {call.messages[0][2]}"
        if call.channel == EVENT:
            return f"{product.event} {call.at.year}"
        label = {IN_PERSON: "Besuch", PHONE: "Telefonat", VIDEO: "Videocall"}[call.channel]
        return f"{label}: {product.name}"

    def _notes(self, contact: _Contact, call: _Call, msl: bool, over: int) -> str:
        """A rep's short German notes: what was discussed, how it landed, what stood out."""
        rng = self.rng
        parts = []
        if call.channel == EMAIL:
            parts.append(EMAIL_NOTES[call.reactions[0]])
        elif call.channel == EVENT:
            parts.append(f"Teilnahme an „{self._subject(call, False)}“.")
        if msl:
            parts.append(f"Medizinische Fragen zu {self.promotable[call.products[0]].name} "
                         "beantwortet.")
        if contact.persona is None:
            parts.append(rng.choice(HCO_OPENERS))
        if call.messages and call.channel != EMAIL:
            parts.append(NOTES[call.messages[0][1], call.reactions[0]])
        if contact.persona is not None and rng.random() < 0.25:
            parts.append(rng.choice(contact.persona.hints))
        if over and rng.random() < 0.4:
            parts.append(rng.choice(FATIGUE_HINTS))
        return " ".join(parts)

    def _sample(self, rows: _Rows, contact: _Contact, call: _Call,
                at: dt.datetime) -> bool:
        """Samples for a third of in-person calls, never over the yearly limit."""
        rng = self.rng
        if rng.random() >= 0.3:
            return False
        product = next((p for p in call.products
                        if self.promotable[p].yearly_sample_limit is not None), None)
        if product is None:
            return False
        limit = self.promotable[product].yearly_sample_limit or 0
        key = (product, call.at.year)
        quantity = min(limit - contact.given.get(key, 0), rng.randint(1, max(1, limit // 4)))
        if quantity <= 0:
            return False
        contact.given[key] = contact.given.get(key, 0) + quantity
        made = call.at.date() - dt.timedelta(days=rng.randint(60, 300))
        rows.add("samples", {**self._synced(None, at), "interaction_id": call.id,
                             "account_id": contact.account_id,
                             "product_id": self.promotable_ids[product],
                             "lot": f"L{made.year}-{made.month:02d}{made.day:02d}",
                             "quantity": quantity})
        self.counts.samples += 1
        return True

    def _children(self, rows: _Rows, call: _Call, at: dt.datetime) -> None:
        products = rows.tables["discussed_products"]
        for position, product in enumerate(call.products, start=1):
            products.append({**self._synced(None, at), "interaction_id": call.id,
                             "product_id": self.promotable_ids[product], "position": position})
        messages = rows.tables["discussed_key_messages"]
        for (kid, _, _), answer in zip(call.messages, call.reactions, strict=True):
            messages.append({**self._synced(None, at), "interaction_id": call.id,
                             "key_message_id": kid, "reaction": answer})

    def _attendees(self, rows: _Rows, contact: _Contact, call: _Call, at: dt.datetime) -> None:
        """Doctors of an institution at its meetings; now and then a doctor's assistant."""
        rng = self.rng
        people: list[tuple[str | None, str]] = []
        if contact.staff and call.channel in (IN_PERSON, EVENT):
            chosen = rng.sample(contact.staff, min(len(contact.staff), rng.randint(1, 2)))
            people = [(s.hcp_id, s.name) for s in chosen]
        elif contact.signer and call.channel == IN_PERSON and rng.random() < 0.04:
            people = [(None, f"{rng.choice(FEMALE)} {rng.choice(LAST_NAMES)} (MFA)")]
        for account_id, name in people:
            rows.add("attendees", {**self._synced(None, at), "interaction_id": call.id,
                                   "account_id": account_id, "name": name})

    def _task(self, rows: _Rows, account_id: str, call: _Call | None, subject: str,
              due: dt.date, at: dt.datetime) -> None:
        """A follow-up: open while recent, done (or now and then cancelled) when long due."""
        if due >= self.today - dt.timedelta(days=14):
            status = TaskStatus.OPEN.value
            self.counts.open_tasks += 1
        else:
            status = (TaskStatus.DONE if self.rng.random() < 0.9 else TaskStatus.CANCELLED).value
        rows.add("tasks", {**self._synced(None, at), "account_id": account_id,
                           "owner_id": call.owner if call else self.rep_id,
                           "interaction_id": call.id if call else None, "subject": subject,
                           "notes": None, "due_date": due, "status": status})
        self.counts.tasks += 1

    # ---- today's agenda

    def _agenda(self) -> _Rows:
        """Drafts and planned calls for today, planned calls for the next working days,
        and open tasks: the home screen has something to show from the first start."""
        rows = _Rows()
        pool = self._home_pool if len(self._home_pool) >= 24 else \
            self._home_pool + self._any_pool
        if not pool:
            return rows
        order = self.rng.sample(pool, len(pool))
        slots = [(self.today, dt.time(h, m), DRAFT) for h, m in ((7, 45), (8, 15), (8, 45))]
        slots += [(self.today, dt.time(h, m), PLANNED)
                  for h, m in ((10, 0), (11, 30), (13, 30), (15, 0), (16, 30))]
        day = self.today
        for _ in range(4):
            day += dt.timedelta(days=3 if day.weekday() == 4 else 2 if day.weekday() == 5 else 1)
            slots += [(day, dt.time(h, 0), PLANNED) for h in (9, 11, 14, 16)]
        for i, (date, time, status) in enumerate(slots):
            account_id, address_id, products = order[i % len(order)]
            self._open_call(rows, account_id, address_id, products,
                            dt.datetime.combine(date, time), status)
        for i, subject in enumerate(FOLLOW_UPS.values()):
            account_id = order[(i + 3) % len(order)][0]
            self._task(rows, account_id, None, subject, self.today + dt.timedelta(days=i),
                       self.stamp)
        self._escalations(rows, order)
        rows.add("local_state", {"key": "current_user_id", "value": self.rep_id})
        return rows

    def _escalations(self, rows: _Rows, order: list[tuple[str, str, list[int]]]) -> None:
        """A few medical questions the demo rep escalated, routed to the demo MSL: one new
        and overdue, one taken over, one handed back with a note (issue 8)."""
        cases = (("urgent", "routed", 30, "phone"), ("standard", "in_progress", 50, "visit"),
                 ("high", "handed_back", 100, "email"))
        for i, (urgency, status, hours, channel) in enumerate(cases):
            account_id, _address, products = order[(i + 7) % len(order)]
            raised = self.now - dt.timedelta(hours=hours)
            inquiry = self.new_id()
            later = raised + dt.timedelta(hours=hours // 2)
            rows.add("medical_inquiries", {
                **self._synced(inquiry, raised), "account_id": account_id,
                "product_id": self.promotable_ids[products[0]], "call_id": None,
                "raised_by": self.rep_id, "raised_at": raised,
                "question": ESCALATION_QUESTIONS[i], "urgency": urgency,
                "answer_channel": channel, "consent_to_contact": True, "unsolicited": True,
                "status": status, "assigned_to": self.msl_id,
                "routed_at": raised + dt.timedelta(minutes=20),
                "taken_over_at": later if status != "routed" else None,
                "answered_at": later if status == "handed_back" else None,
                "handed_back_at": later if status == "handed_back" else None,
                "closed_at": None,
                "hand_back_note": ("Per E-Mail beantwortet; Ärztin wünscht beim nächsten "
                                   "Besuch die Studienübersicht.")
                if status == "handed_back" else None})
            steps = [("inquiry.raised", self.rep_id, raised),
                     ("inquiry.routed", None, raised + dt.timedelta(minutes=20))]
            if status != "routed":
                steps.append(("inquiry.taken_over", self.msl_id, later))
            if status == "handed_back":
                steps += [("inquiry.answered", self.msl_id, later),
                          ("inquiry.handed_back", self.msl_id, later)]
            for action, user, at in steps:
                rows.add("audit_log", {**self._synced(None, at), "at": at, "user_id": user,
                                       "action": action, "entity": "medical_inquiries",
                                       "row_id": inquiry, "details": None})

    def _open_call(self, rows: _Rows, account_id: str, address_id: str, products: list[int],
                   at: dt.datetime, status: str) -> None:
        """A planned call (a slot and a subject) or a draft (partly written report)."""
        rng = self.rng
        channel = IN_PERSON if status == DRAFT or rng.random() < 0.8 else PHONE
        call = _Call(self.new_id(), at, channel, self.rep_id, products[:1], [], [])
        notes = None
        if status == DRAFT:
            call.products = products[:2]
            call.messages = [self.messages[products[0]][0]]
            call.reactions = [rng.choice(("positive", "neutral"))]
            notes = f"{NOTES[call.messages[0][1], call.reactions[0]]} Bericht noch ergänzen."
            self.counts.drafts += 1
        else:
            self.counts.planned += 1
        rows.add("interactions", {
            **self._synced(call.id), "account_id": account_id, "owner_id": self.rep_id,
            "channel": channel, "status": status, "start_at": at,
            "duration_min": 15 if status == DRAFT else None,
            "address_id": address_id if channel == IN_PERSON else None,
            "subject": self._subject(call, False), "notes": notes, "follow_up": None,
            "follow_up_date": None, "signature": None, "signer_name": None, "signed_at": None,
            "submitted_at": None, "not_received": False,
        })
        self._children(rows, call, self.stamp)
        self.counts.interactions += 1


def _usable(consents: dict[str, str]) -> list[str]:
    """Channels a rep may use: never a withdrawn one; e-mail and video only when granted."""
    return [c for c, state in consents.items()
            if state == GRANTED or (state == UNKNOWN and c not in (EMAIL, VIDEO))]


def _weighted_sample(rng: random.Random, options: list[tuple[str, str, str]],
                     weights: list[float], k: int) -> list[tuple[str, str, str]]:
    """k distinct options, each draw weighted (the rep's preference for favoured topics)."""
    chosen: list[tuple[str, str, str]] = []
    options, weights = list(options), list(weights)
    for _ in range(min(k, len(options))):
        i = bisect.bisect(list(accumulate(weights)), rng.random() * sum(weights))
        chosen.append(options.pop(i))
        weights.pop(i)
    return chosen


# --------------------------------------------------------------------------- loading


def generate(db: Database, *, accounts: int = 2000, seed: int = 7, years: int = 2,
             today: dt.date | None = None,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> DemoSummary:
    """Fill an empty database with a demo territory; see the module docstring.

    One write transaction: either everything is there or nothing (a failure or `cancelled()`
    returning True rolls back; the latter raises DemoCancelledError). `progress(done, total)`
    counts accounts. Raises ServiceError when the database already holds data.
    """
    errors = {}
    if not 1 <= accounts <= MAX_ACCOUNTS:
        errors["accounts"] = tr("Generate between 1 and {most} accounts.",
                                most=f"{MAX_ACCOUNTS:,}")
    if years < 1:
        errors["years"] = tr("The history covers at least one year.")
    if errors:
        raise ValidationError(errors)
    generator = DemoGenerator(accounts=accounts, seed=seed, years=years, today=today)
    with db.writer.begin() as conn:
        if conn.execute(select(TABLES["users"].c.id).limit(1)).first() is not None:
            raise ServiceError(tr("This database already holds data; demo data goes into a "
                                  "new, empty one."))
        reported = -1
        for batch in generator.batches():
            if cancelled is not None and cancelled():
                raise DemoCancelledError(tr("Generating demo data was cancelled; nothing was "
                                       "written."))
            insert_rows(conn, batch.table, batch.rows)
            if progress is not None and batch.accounts_done != reported:
                reported = batch.accounts_done
                progress(reported, accounts)
    return generator.summary()


def _named_after_staff(hco: _Hco) -> str:
    """A practice named after a doctor is named after its own: "Praxis Dr. med. Anna Weber"
    for one, "Gemeinschaftspraxis Weber & Brandt" for two or more (the name was planned
    before the doctors, who then worked under other names). No draw: the demo stays as it
    was otherwise."""
    person_named = hco.name.startswith(("Praxis Dr. med. ", "Gemeinschaftspraxis "))
    if hco.kind != "practice" or not person_named or not hco.staff:
        return hco.name
    names = list(dict.fromkeys(member.last_name for member in hco.staff))
    if len(names) == 1:
        return f"Praxis {hco.staff[0].name}"
    return f"Gemeinschaftspraxis {names[0]} & {names[1]}"
