"""Small, explicit reference data for tests: one territory, a rep, products, a few doctors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.store.accounts import Account, Address, ChannelConsent, ExternalId
from app.store.base import AccountKind, Role
from app.store.reference import KeyMessage, Product, Specialty, Territory, TerritoryProduct, User
from app.store.search import refresh_accounts


@dataclass
class World:
    territory: Territory
    rep: User
    cardio: Specialty
    promoted: Product  # promotable in the territory, samples allowed (limit 10 per year)
    other: Product  # not promotable in the territory
    key_message: KeyMessage
    doctor: Account  # Dr. Jürgen Müller in München, e-mail consent granted
    doctor_no_email: Account  # Dr. Anna Schäfer in Köln, no e-mail consent


def add_doctor(session: Session, territory: Territory, specialty: Specialty, first: str,
               last: str, city: str, lanr: str | None = None) -> Account:
    account = Account(kind=AccountKind.HCP.value, title="Dr. med.", first_name=first,
                      last_name=last, name=f"Dr. med. {first} {last}", specialty_id=specialty.id,
                      territory_id=territory.id, segment="A", potential=0.8)
    session.add(account)
    session.add(Address(account=account, line1="Hauptstraße 1", postcode="80331", city=city,
                        latitude=48.14, longitude=11.58, is_primary=True))
    if lanr:
        session.add(ExternalId(account=account, system="LANR", value=lanr))
    session.flush()
    refresh_accounts(session.connection(), [account.id])
    session.refresh(account)
    return account


def make_world(session: Session) -> World:
    territory = Territory(code="DE-BY-01", name="München Nord")
    rep = User(username="rep", display_name="Lena Vogel", role=Role.REP.value)
    session.add_all([territory, rep])
    session.flush()
    rep.territory_id = territory.id
    cardio = Specialty(code="CARD", name_en="Cardiology", name_de="Kardiologie")
    promoted = Product(name="Cardiozan", therapeutic_area="Cardiology", yearly_sample_limit=10)
    other = Product(name="Neurovit", therapeutic_area="Neurology", yearly_sample_limit=5)
    session.add_all([cardio, promoted, other])
    session.flush()
    key_message = KeyMessage(product_id=promoted.id, position=1, code="CZ-1",
                             title="Fewer events in HFrEF", topic="efficacy")
    session.add_all([key_message, TerritoryProduct(territory_id=territory.id,
                                                   product_id=promoted.id)])
    doctor = add_doctor(session, territory, cardio, "Jürgen", "Müller", "München", "123456701")
    session.add(ChannelConsent(account_id=doctor.id, channel="email", consent="granted"))
    doctor_no_email = add_doctor(session, territory, cardio, "Anna", "Schäfer", "Köln")
    session.flush()
    return World(territory, rep, cardio, promoted, other, key_message, doctor, doctor_no_email)
