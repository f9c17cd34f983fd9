"""Clearly fictional example plans in every state, dated relative to ``today``.

Names are invented; the personnummer have valid check digits so the
validation accepts them, but they are made up for this demo.
"""

from __future__ import annotations

import datetime as dt

from .models.enums import (
    Body,
    ConsentForm,
    DeviationType,
    GoalTerm,
    InsatsStatus,
    LifeArea,
    MeetingForm,
    Outcome,
)
from .models.plan import (
    Closure,
    Consent,
    Coordinator,
    Deviation,
    FollowUp,
    Goal,
    Insats,
    Meeting,
    Need,
    Participant,
    Person,
    Plan,
    Recipient,
)
from .service import PlanService


def _complete_plan(name: str, personnummer: str | None, meeting_day: dt.date, followup_day: dt.date) -> Plan:
    """A realistic plan with everything the law asks for, not yet agreed."""
    goal_short = Goal(text="Jag vill ha en fast tid varje vecka då jag tränar och sover bättre.", term=GoalTerm.SHORT)
    goal_long = Goal(
        text="Jag vill jobba med något praktiskt, gärna med djur eller natur, om ett år.", term=GoalTerm.LONG
    )
    need_health = Need(
        area=LifeArea.MENTAL_HEALTH,
        description="Sömnproblem och oro som gör det svårt att komma iväg på morgonen.",
        goal_ids=[goal_short.id],
    )
    need_work = Need(
        area=LifeArea.WORK,
        description="Oklar arbetsförmåga; har inte arbetat sedan 2022.",
        goal_ids=[goal_long.id],
    )
    need_money = Need(
        area=LifeArea.ECONOMY,
        description="Försörjningsstöd; behöver veta vilken ersättning som är rätt.",
        goal_ids=[goal_long.id],
    )
    return Plan(
        person=Person(name=name, personnummer=personnummer, phone="070-000 00 00", interpreter_needed=False),
        meeting=Meeting(
            date=meeting_day,
            place="Medborgarkontoret, rum 2",
            form=MeetingForm.IN_PERSON,
            initiated_by="Socialtjänsten, ekonomiskt bistånd",
            initiated_on=meeting_day - dt.timedelta(days=12),
        ),
        consent=Consent(
            given=True,
            form=ConsentForm.WRITTEN,
            date=meeting_day - dt.timedelta(days=10),
            actors="Kommunen, Regionen, Försäkringskassan, Arbetsförmedlingen",
            information="Uppgifter om hälsa, sysselsättning och ekonomi som behövs för planen.",
            valid_until=meeting_day + dt.timedelta(days=365),
        ),
        participants=[
            Participant(name="Karin Demo", role="Socialsekreterare", organisation="Socialtjänsten", body=Body.KOMMUN),
            Participant(name="Olle Exempel", role="Kurator", organisation="Vårdcentralen Centrum", body=Body.REGION),
            Participant(name="Fatima Test", role="Handläggare", organisation="Försäkringskassan", body=Body.FK),
            Participant(
                name="Johan Prov",
                role="Arbetsförmedlare",
                organisation="Arbetsförmedlingen",
                body=Body.AF,
                attended=False,
            ),
        ],
        situation="Bor ensam i hyreslägenhet. Har haft försörjningsstöd i två år.",
        strengths="Noggrann, tycker om att laga saker, har en bror som stöttar.",
        goals=[goal_short, goal_long],
        needs=[need_health, need_work, need_money],
        insatser=[
            Insats(
                what="Samtalsstöd för sömn och oro, varannan vecka",
                need_ids=[need_health.id],
                body=Body.REGION,
                unit="Vårdcentralen Centrum",
                contact="Olle Exempel",
                start=meeting_day,
                done_by=meeting_day + dt.timedelta(days=90),
                status=InsatsStatus.PLANNED,
            ),
            Insats(
                what="Arbetsträning på kommunens återbruk, två förmiddagar i veckan",
                need_ids=[need_work.id],
                body=Body.KOMMUN,
                unit="Arbetsmarknadsenheten",
                contact="Karin Demo",
                start=meeting_day + dt.timedelta(days=14),
                done_by=meeting_day + dt.timedelta(days=120),
            ),
            Insats(
                what="Utreda rätt till aktivitetsersättning",
                need_ids=[need_money.id],
                body=Body.FK,
                unit="Försäkringskassan, lokalkontoret",
                contact="Fatima Test",
                start=meeting_day,
            ),
            Insats(
                what="Kartläggning och inskrivning i förberedande insats",
                need_ids=[need_work.id],
                body=Body.AF,
                unit="Arbetsförmedlingen",
                contact="Johan Prov",
                start=meeting_day + dt.timedelta(days=30),
            ),
            Insats(
                what="Går och lägger mig före midnatt och promenerar varje morgon",
                need_ids=[need_health.id],
                body=Body.PERSON,
                start=meeting_day,
            ),
        ],
        responsible=Body.KOMMUN,
        coordinator=Coordinator(
            name="Karin Demo",
            body=Body.KOMMUN,
            unit="Socialtjänsten",
            phone="0470-00 00 00",
            email="karin.demo@kommun.example",
        ),
        followup=FollowUp(
            date=followup_day,
            start_time=dt.time(10, 0),
            end_time=dt.time(11, 0),
            form=MeetingForm.IN_PERSON,
            place="Medborgarkontoret, rum 2",
            called_by="Karin Demo",
        ),
        distribution=[
            Recipient(name=name, organisation="Personen"),
            Recipient(name="Olle Exempel", organisation="Vårdcentralen Centrum"),
        ],
    )


def demo_plans(today: dt.date) -> list[tuple[Plan, str]]:
    """(plan, target state) pairs: draft, agreed soon, agreed overdue, revised, closed."""
    draft = Plan(
        person=Person(name="Alva Påhittad", personnummer="19850312-2387"),
        meeting=Meeting(date=today, place="Vårdcentralen Norr"),
        situation="Första mötet pågår.",
        goals=[Goal(text="Jag vill orka gå ut varje dag.")],
    )
    return [
        (draft, "draft"),
        (
            _complete_plan(
                "Bo Exempelsson", "19900101-0017", today - dt.timedelta(days=30), today + dt.timedelta(days=5)
            ),
            "agreed",
        ),
        (_complete_plan("Cecilia Fiktiv", None, today - dt.timedelta(days=70), today - dt.timedelta(days=9)), "agreed"),
        (
            _complete_plan(
                "David Testman", "19751224-1238", today - dt.timedelta(days=200), today
            ),  # followed up today: version 2 books the next follow-up
            "revised",
        ),
        (
            _complete_plan("Elin Demosson", None, today - dt.timedelta(days=300), today - dt.timedelta(days=120)),
            "closed",
        ),
    ]


def _at_meeting(service: PlanService, plan: Plan) -> dt.datetime:
    """The end of the plan's meeting: example plans were agreed there, not today."""
    assert plan.meeting.date is not None
    return dt.datetime.combine(plan.meeting.date, dt.time(11, 30), tzinfo=service.clock().tzinfo)


def load_demo(service: PlanService) -> int:
    """Save the demo plans through the service, as a facilitator would make them."""
    today = service.today()
    from .demo_offers import demo_offers

    service.catalogue.load_offers(demo_offers(today))  # the insats catalogue the meetings pick from
    for plan, state in demo_plans(today):
        plan = service.save(plan)
        if state == "draft":
            continue
        plan = service.agree(plan, [plan.person.name, plan.coordinator.name], at=_at_meeting(service, plan))
        if state == "revised":
            plan = service.start_followup(plan)
            plan.insatser[0].status = InsatsStatus.ONGOING
            plan.insatser[0].note = "Har gått på fyra samtal, sover bättre."
            plan.insatser[3].status = InsatsStatus.NOT_STARTED
            plan.deviations.append(
                Deviation(
                    date=today,
                    type=DeviationType.INSATS_LATE,
                    body=Body.AF,
                    description="Kartläggningen blev inte av inom en månad som avtalat.",
                )
            )
            plan.followup = FollowUp(
                date=today + dt.timedelta(days=40),
                start_time=dt.time(13, 0),
                form=MeetingForm.DIGITAL,
                place="Videolänk skickas i kallelsen",
                called_by="Karin Demo",
            )
            plan.change_reason = "Uppföljning: samtalsstödet fortsätter, AF:s kartläggning försenad."
            plan = service.agree(plan, [plan.person.name, plan.coordinator.name])
        elif state == "closed":
            service.close(
                plan,
                Closure(
                    date=today - dt.timedelta(days=100),
                    outcome=Outcome.INTERNSHIP,
                    note="Praktik på återbruket, planen behövs inte längre.",
                ),
            )
    return len(demo_plans(today))
