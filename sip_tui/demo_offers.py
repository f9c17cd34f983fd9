"""A clearly fictional insats catalogue for the demo: invented units in the
invented municipality of Exempelby, phone numbers from the range PTS keeps for
fiction (070-174 06 05 – 070-174 06 99), e-mail addresses under .example."""

from __future__ import annotations

import datetime as dt

from .models.enums import LifeArea
from .models.offer import Offer, OfferStatus, Provider

A, P = LifeArea, Provider  # short names keep the table below one entry to two lines

# name, provider, unit, life areas, ages (from, to), description, who may refer, self-referral
_ENTRIES: list[tuple[str, P, str, tuple[A, ...], tuple[int | None, int | None], str, str, bool]] = [
    ("Arbetsträning", P.KOMMUN, "Arbetsmarknadsenheten Exempelby", (A.WORK,), (18, 65),
     "Arbetsträning i kommunens verksamheter: återbruk, café, lokalvård.", "Socialtjänsten, AF", False),
    ("Jobbcoachning i grupp", P.KOMMUN, "Arbetsmarknadsenheten Exempelby", (A.WORK,), (18, 65),
     "Grupp två förmiddagar i veckan: cv, intervjuträning, studiebesök.", "Socialtjänsten", True),
    ("IPS – individanpassat stöd till arbete", P.REGION, "Psykiatriska öppenvården Exempelby", (A.WORK, A.MENTAL_HEALTH),
     (18, 65), "Supported employment enligt IPS-modellen för personer med psykisk ohälsa.", "Psykiatrin, socialtjänsten", False),
    ("Supported Education", P.KOMMUN, "Vuxenutbildningen Exempelby", (A.WORK,), (18, 35),
     "Stöd för att börja och fullfölja studier trots psykisk ohälsa.", "Alla", True),
    ("Ungdomsmottagning", P.REGION, "Ungdomsmottagningen Exempelby", (A.MENTAL_HEALTH, A.PHYSICAL_HEALTH, A.RELATIONS),
     (13, 25), "Samtal, preventivmedel, tester och stöd kring relationer.", "Egen kontakt", True),
    ("KBT i primärvården", P.REGION, "Vårdcentralen Norr, Exempelby", (A.MENTAL_HEALTH,), (18, None),
     "Kognitiv beteendeterapi för oro, nedstämdhet och sömnproblem, 8–12 samtal.", "Läkare på vårdcentralen", False),
    ("Internetbaserad KBT", P.REGION, "Vårdcentralen Norr, Exempelby", (A.MENTAL_HEALTH,), (18, None),
     "KBT-program via 1177 med stöd av behandlare.", "Vårdcentralen", True),
    ("Budget- och skuldrådgivning", P.KOMMUN, "Konsumentvägledningen Exempelby", (A.ECONOMY,), (18, None),
     "Hjälp med budget, skulder och ansökan om skuldsanering.", "Egen kontakt", True),
    ("Studie- och yrkesvägledning", P.KOMMUN, "Vägledningscentrum Exempelby", (A.WORK,), (16, None),
     "Vägledning om utbildning, validering och yrkesval.", "Egen kontakt", True),
    ("Kamratstöd – Föreningen Medvind", P.CIVIL_SOCIETY, "Föreningen Medvind", (A.MENTAL_HEALTH, A.RELATIONS, A.LEISURE),
     (18, None), "Träffpunkt och samtal med någon som själv har levt med psykisk ohälsa.", "Egen kontakt", True),
    ("Försörjningsstöd", P.KOMMUN, "Socialtjänsten, ekonomiskt bistånd", (A.ECONOMY,), (18, None),
     "Ekonomiskt bistånd till försörjning och livsföring.", "Egen ansökan", True),
    ("Boendestöd", P.KOMMUN, "Socialpsykiatrin Exempelby", (A.HOUSING, A.DAILY_LIFE), (18, None),
     "Stöd i hemmet med struktur, hushåll och kontakter.", "Biståndsbeslut", False),
    ("Bostad först", P.KOMMUN, "Socialtjänsten, vuxenenheten", (A.HOUSING,), (18, None),
     "Eget förstahandskontrakt med stöd för personer i hemlöshet.", "Socialtjänsten", False),
    ("Träningslägenhet", P.KOMMUN, "Socialtjänsten, vuxenenheten", (A.HOUSING,), (18, None),
     "Boende med tillsyn på vägen mot eget kontrakt.", "Socialtjänsten", False),
    ("Sysselsättning enligt SoL", P.KOMMUN, "Daglig verksamhet Exempelby", (A.DAILY_LIFE, A.WORK), (18, 65),
     "Meningsfull sysselsättning för personer med psykisk funktionsnedsättning.", "Biståndsbeslut", False),
    ("Daglig verksamhet LSS", P.KOMMUN, "LSS-enheten Exempelby", (A.DAILY_LIFE, A.WORK), (18, 65),
     "Daglig verksamhet för personer inom LSS personkrets.", "Biståndsbeslut", False),
    ("Öppenvård beroende", P.KOMMUN, "Beroendemottagningen Exempelby", (A.ADDICTION,), (18, None),
     "Samtal och gruppbehandling vid alkohol- och drogproblem.", "Egen kontakt", True),
    ("Beroendemottagning – läkare", P.REGION, "Beroendecentrum Exempelby", (A.ADDICTION, A.PHYSICAL_HEALTH), (18, None),
     "Medicinsk bedömning och behandling vid beroende.", "Egen kontakt, remiss", True),
    ("Ungdomsbehandlare", P.KOMMUN, "Mini-Maria Exempelby", (A.ADDICTION, A.FAMILY), (13, 21),
     "Stöd till unga med alkohol eller droger och deras föräldrar.", "Egen kontakt", True),
    ("Föräldrastöd", P.KOMMUN, "Familjecentralen Exempelby", (A.FAMILY,), (18, None),
     "Föräldraskapsgrupper och enskilda samtal.", "Egen kontakt", True),
    ("Familjebehandling", P.KOMMUN, "Socialtjänsten, barn och familj", (A.FAMILY, A.RELATIONS), (None, None),
     "Behandlande samtal med hela familjen i hemmet.", "Socialtjänsten", False),
    ("Barn- och ungdomspsykiatri", P.REGION, "BUP Exempelby", (A.MENTAL_HEALTH,), (0, 17),
     "Utredning och behandling av psykisk ohälsa hos barn och unga.", "Remiss, egen kontakt", True),
    ("Neuropsykiatrisk utredning", P.REGION, "Psykiatriska öppenvården Exempelby", (A.MENTAL_HEALTH,), (18, None),
     "Utredning av adhd och autism hos vuxna.", "Läkarremiss", False),
    ("Arbetsterapeutisk bedömning", P.REGION, "Rehabenheten Exempelby", (A.DAILY_LIFE, A.WORK), (18, None),
     "Bedömning av aktivitetsförmåga och hjälpmedel.", "Vårdcentralen", False),
    ("Fysioterapi och fysisk aktivitet på recept", P.REGION, "Vårdcentralen Norr, Exempelby", (A.PHYSICAL_HEALTH,),
     (None, None), "Träning och FaR med uppföljning.", "Vårdcentralen", True),
    ("Rehabkoordinator", P.REGION, "Vårdcentralen Norr, Exempelby", (A.WORK, A.PHYSICAL_HEALTH), (18, 67),
     "Stöd vid sjukskrivning och kontakt med arbetsgivare och FK.", "Vårdcentralen", False),
    ("Multimodal rehabilitering", P.REGION, "Smärtteamet Exempelby", (A.PHYSICAL_HEALTH, A.WORK), (18, 67),
     "Teambehandling vid långvarig smärta.", "Läkarremiss", False),
    ("Aktivitetsersättning – utredning", P.FK, "Försäkringskassan, lokalt försäkringscenter", (A.ECONOMY,), (19, 29),
     "Bedömning av rätt till aktivitetsersättning.", "Egen ansökan", True),
    ("Sjukpenning och rehabiliteringsplan", P.FK, "Försäkringskassan, lokalt försäkringscenter", (A.ECONOMY, A.WORK),
     (16, None), "Handläggning av sjukpenning, avstämningsmöte.", "Egen ansökan", True),
    ("Bostadstillägg", P.FK, "Försäkringskassan", (A.ECONOMY, A.HOUSING), (19, None),
     "Bidrag till boendekostnad för den med aktivitets- eller sjukersättning.", "Egen ansökan", True),
    ("Kartläggning av arbetsförmåga", P.AF, "Arbetsförmedlingen Exempelby", (A.WORK,), (16, 67),
     "Arbetspsykologisk och arbetsterapeutisk kartläggning.", "Arbetsförmedlare", False),
    ("Lönebidrag och introduktionsjobb", P.AF, "Arbetsförmedlingen Exempelby", (A.WORK, A.ECONOMY), (18, 67),
     "Anställning med stöd för den med nedsatt arbetsförmåga.", "Arbetsförmedlare", False),
    ("Rusta och matcha", P.AF, "Leverantör via Arbetsförmedlingen", (A.WORK,), (18, 67),
     "Stöd från en leverantör för att hitta jobb eller utbildning.", "Arbetsförmedlare", False),
    ("Studiemotiverande folkhögskolekurs", P.AF, "Exempelby folkhögskola", (A.WORK,), (18, None),
     "Kurs om tre månader för att prova på studier.", "Arbetsförmedlare", False),
    ("Introduktionsprogram", P.SCHOOL, "Gymnasieskolan Exempelby", (A.WORK,), (16, 20),
     "Individuellt alternativ för den som inte är behörig till nationellt program.", "Skolan", True),
    ("Elevhälsa", P.SCHOOL, "Gymnasieskolan Exempelby", (A.MENTAL_HEALTH, A.PHYSICAL_HEALTH), (16, 20),
     "Kurator, skolsköterska och psykolog på skolan.", "Egen kontakt", True),
    ("Steget vidare – unga utanför skolan", P.KOMMUN, "Projekt Steget vidare (samordningsförbundet)", (A.WORK,),
     (16, 20), "Supported employment/education för unga som lämnat gymnasiet.", "Skolan, socialtjänsten", True),
    ("Budgetcirkel för unga", P.CIVIL_SOCIETY, "Studieförbundet Exempel", (A.ECONOMY,), (16, 29),
     "Studiecirkel om pengar, avtal och skulder.", "Egen kontakt", True),
    ("Stödsamtal för anhöriga", P.CIVIL_SOCIETY, "Anhörigföreningen Exempelby", (A.RELATIONS, A.FAMILY), (None, None),
     "Samtal och grupper för närstående.", "Egen kontakt", True),
    ("Fritidsaktiviteter – Fritid för alla", P.CIVIL_SOCIETY, "Idrottsföreningen Exempelby", (A.LEISURE,), (None, None),
     "Anpassad träning och aktiviteter på fritiden.", "Egen kontakt", True),
    ("Juridisk rådgivning", P.CIVIL_SOCIETY, "Föreningen Rättshjälp Exempelby", (A.LEGAL,), (18, None),
     "Kostnadsfri rådgivning om hyra, skulder och myndighetsbeslut.", "Egen kontakt", True),
    ("Frivårdens stöd", P.OTHER, "Kriminalvården, frivården Exempelby", (A.LEGAL, A.ADDICTION), (18, None),
     "Övervakning och behandlingsprogram efter dom.", "Kriminalvården", False),
    ("Tolkförmedling", P.REGION, "Tolkcentralen Exempelby", (A.OTHER,), (None, None),
     "Språktolk till möten i vård och omsorg.", "Verksamheten som bokar", False),
    ("Samhällsorientering", P.KOMMUN, "Integrationsenheten Exempelby", (A.DAILY_LIFE,), (18, 64),
     "Kurs om samhället på modersmålet för nyanlända.", "Egen anmälan", True),
    ("Friskvårdsgrupp – sömn och stress", P.REGION, "Hälsocenter Exempelby", (A.MENTAL_HEALTH, A.PHYSICAL_HEALTH),
     (18, None), "Gruppkurs om sömn, stress och återhämtning.", "Egen anmälan", True),
]


def demo_offers(today: dt.date) -> list[Offer]:
    """At least 40 entries across kommun, region, FK, AF, school and civil society.
    A few have not been checked for more than a year; one project is paused, one ended."""
    offers = []
    for number, (name, provider, unit, areas, (age_min, age_max), description, referral, self_ok) in enumerate(
        _ENTRIES
    ):
        project = unit.startswith("Projekt")
        offers.append(
            Offer(
                id=f"demo{number:03d}",
                name=name,
                provider=provider,
                unit=unit,
                description=description,
                life_areas=list(areas),
                target_group="Unga vuxna" if age_max is not None and age_max <= 30 else "Vuxna",
                age_min=age_min,
                age_max=age_max,
                referral=referral,
                self_referral=self_ok,
                contact_name=f"{_FIRST[number % len(_FIRST)]} Exempel",
                phone=f"070-174 06 {5 + number:02d}",
                email=f"kontakt{number}@exempelby.example",
                address="Storgatan 1, Exempelby" if number % 3 else "https://exempelby.example/insatser",
                languages="svenska, engelska" if number % 4 else "svenska, arabiska, somaliska",
                cost="Kostnadsfritt" if number % 5 else "Patientavgift",
                area_served="Exempelby kommun",
                status=OfferStatus.PAUSED if number == 40 else OfferStatus.ACTIVE,
                ends_on=today + dt.timedelta(days=300) if project else None,
                last_checked=today - dt.timedelta(days=400 if number % 9 == 4 else 30 + number),
            )
        )
    return offers


_FIRST = ["Anna", "Bo", "Cecilia", "David", "Eva", "Fredrik", "Gunilla", "Hassan", "Ida", "Jonas", "Leila", "Mats"]
