"""The insats catalogue: import from CSV, JSON and Excel with good and bad
rows, search ranking, sharing by export and import, and the plan's own copy."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from sip_tui.models.enums import Body, LifeArea
from sip_tui.models.offer import Offer, OfferStatus, Provider, SearchContext, SearchIndex, age_on
from sip_tui.models.plan import Insats, OfferSource, Plan
from sip_tui.service import PlanService
from sip_tui.store import PlanStore, StoreError

HEADER_SV = "Insats;Huvudman/aktör;Verksamhet;Livsområden;Ålder från;Ålder till;Egen anmälan;Telefon;Senast kontrollerad"


def _write_csv(path, lines: list[str], encoding: str = "utf-8-sig") -> None:
    path.write_bytes("\r\n".join(lines).encode(encoding))


def test_csv_with_swedish_headings_labels_and_excel_encoding_is_imported(cli, store_dir, tmp_path):
    path = tmp_path / "katalog.csv"
    _write_csv(
        path,
        [
            HEADER_SV,
            'IPS;Region;Psykiatrin;"Arbete, sysselsättning, studier; psykisk_halsa";18;65;nej;070-174 06 20;2026-01-15',
            ";;;;;;;;",  # a blank row is skipped
            "Budgetrådgivning;kommun;Konsumentvägledningen;ekonomi;;;ja;'+46 70 174 06 21;",
            "Aktivitetsersättning;FK;Lokalkontoret;Ekonomi och försörjning;19;29;Nej;;",
        ],
        encoding="cp1252",  # Swedish Excel's "CSV (semikolonavgränsad)"
    )
    run = cli("--store", store_dir, "catalogue", "import", path)
    assert run.code == 0, run.err
    assert "3 nya, 0 uppdaterade" in run.out
    listed = {o["name"]: o for o in cli("--store", store_dir, "catalogue", "list", "--json").json()}
    assert listed["IPS"]["provider"] == "region"
    assert listed["IPS"]["life_areas"] == ["arbete", "psykisk_halsa"]
    assert listed["IPS"]["age_max"] == 65 and listed["IPS"]["last_checked"] == "2026-01-15"
    assert listed["Budgetrådgivning"]["self_referral"] is True
    assert listed["Budgetrådgivning"]["phone"] == "+46 70 174 06 21"  # a spreadsheet's text quote is dropped
    assert listed["Aktivitetsersättning"]["provider"] == "forsakringskassan"
    # Importing the same file again updates nothing and adds nothing.
    assert "0 nya, 0 uppdaterade" in cli("--store", store_dir, "catalogue", "import", path).out


def test_csv_with_bad_rows_is_refused_whole_and_every_error_names_row_and_column(cli, store_dir, tmp_path):
    path = tmp_path / "katalog.csv"
    _write_csv(
        path,
        [
            HEADER_SV + ";Färg",
            "Bra rad;kommun;Enheten;arbete;;;;;;",
            "Fel huvudman;Kyrkan;Enheten;arbete;;;;;;",
            "Fel ålder;region;Enheten;arbete;40;20;;;;",
            ";region;Utan namn;arbete;;;;;;",
            "Fel datum;region;Enheten;arbete;;;;;15/1 2026;",
            "Fel område;region;Enheten;trädgård;;;;;;",
        ],
    )
    run = cli("--store", store_dir, "catalogue", "import", path)
    assert run.code == 1
    assert 'Rad 1, kolumn ”Färg”: Okänd kolumn.' in run.err
    # The header is refused first; with it fixed, every bad row is listed.
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    _write_csv(path, [line.rsplit(";", 1)[0] for line in lines])
    run = cli("--store", store_dir, "catalogue", "import", path)
    assert run.code == 1
    assert "inget lästes in – 5 fel" in run.err
    assert "Rad 3, kolumn ”Huvudman/aktör”: Okänt värde" in run.err
    assert "Rad 4, kolumn ”Ålder till”: Högsta åldern är lägre än lägsta." in run.err
    assert "Rad 5, kolumn ”Insats”: Saknas." in run.err
    assert "Rad 6, kolumn ”Senast kontrollerad”: Skriv datum som ÅÅÅÅ-MM-DD." in run.err
    assert "Rad 7, kolumn ”Livsområden”: Okänt värde" in run.err
    assert "Traceback" not in run.err
    assert cli("--store", store_dir, "catalogue", "list", "--json").json() == []  # nothing was read


def test_xlsx_import_reads_dates_and_numbers_and_reports_bad_cells(cli, store_dir, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "provider", "unit", "life_areas", "age_min", "age_max", "last_checked", "status"])
    sheet.append(["Ungdomsmottagning", "region", "UM Exempelby", "psykisk_halsa; relationer", 13, 25,
                  dt.datetime(2026, 2, 1), "aktiv"])
    sheet.append(["Jobbspår", "AF", "AF Exempelby", "arbete", 18.0, None, None, "Pausad"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    sheet.append(["Trasig", "region", "X", "arbete", "tretton", None, None, "aktiv"])
    sheet.append(["Status", "region", "X", "arbete", None, None, None, "kanske"])
    bad = tmp_path / "bad.xlsx"
    book.save(bad)

    run = cli("--store", store_dir, "catalogue", "import", bad)
    assert run.code == 1
    assert "Rad 4, kolumn ”age_min”: Ska vara ett heltal." in run.err
    assert "Rad 5, kolumn ”status”: Okänt värde" in run.err
    assert cli("--store", store_dir, "catalogue", "list", "--json").json() == []

    assert cli("--store", store_dir, "catalogue", "import", good).code == 0
    offers = {o["name"]: o for o in cli("--store", store_dir, "catalogue", "list", "--json").json()}
    assert offers["Ungdomsmottagning"]["last_checked"] == "2026-02-01"
    assert offers["Ungdomsmottagning"]["life_areas"] == ["psykisk_halsa", "relationer"]
    assert offers["Jobbspår"]["age_min"] == 18 and offers["Jobbspår"]["status"] == "pausad"

    not_a_workbook = tmp_path / "fake.xlsx"
    not_a_workbook.write_bytes(b"not a zip")
    run = cli("--store", store_dir, "catalogue", "import", not_a_workbook)
    assert run.code == 1 and "ingen Excel-arbetsbok" in run.err


def test_json_import_names_the_entry_and_field(cli, store_dir, tmp_path):
    path = tmp_path / "katalog.json"
    entries = [
        {"name": "Bra", "provider": "kommun"},
        {"name": "Fel", "provider": "kommun", "age_min": -1, "colour": "blå"},
        {"id": "x1", "name": "A"},
        {"id": "x1", "name": "B"},
    ]
    path.write_text(json.dumps({"format": "sip-tui-catalogue", "schema_version": 1, "offers": entries}))
    run = cli("--store", store_dir, "catalogue", "import", path)
    assert run.code == 1
    assert "Rad 2, kolumn ”age_min”: Får inte vara mindre än 0." in run.err
    assert "Rad 2, kolumn ”colour”: Okänt fält." in run.err
    assert "Rad 4, kolumn ”id”: Samma id som en tidigare rad." in run.err
    path.write_text(json.dumps({"format": "sip-tui-catalogue", "schema_version": 2, "offers": []}))
    run = cli("--store", store_dir, "catalogue", "import", path)
    assert run.code == 1 and "nyare sip-tui" in run.err
    path.write_text("{not json")
    assert "inte giltig JSON" in cli("--store", store_dir, "catalogue", "import", path).err


def test_a_team_shares_the_catalogue_by_export_and_import(cli, tmp_path):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    assert cli("--store", mine, "demo").code == 0
    for kind in ("json", "csv"):
        out = tmp_path / f"delad.{kind}"
        assert cli("--store", mine, "catalogue", "export", f"--{kind}", out).code == 0
        target = theirs / kind
        run = cli("--store", target, "catalogue", "import", out)
        assert run.code == 0, run.err
        assert cli("--store", target, "catalogue", "list", "--json").json() == cli(
            "--store", mine, "catalogue", "list", "--json"
        ).json()
    assert len(cli("--store", mine, "catalogue", "list", "--json").json()) >= 40


def test_demo_catalogue_spans_the_bodies_and_some_entries_need_checking(cli, store_dir):
    cli("--store", store_dir, "demo")
    offers = cli("--store", store_dir, "catalogue", "list", "--json").json()
    assert len(offers) >= 40
    assert {"kommun", "region", "forsakringskassan", "arbetsformedlingen", "civilsamhalle"} <= {
        o["provider"] for o in offers
    }
    assert any("IPS" in o["name"] for o in offers)
    assert "⚠" not in cli("--store", store_dir, "catalogue", "list", "--body", "FK").out
    run = cli("--store", store_dir, "catalogue", "list", "--area", "Psykisk hälsa", "--search", "kbt")
    assert "KBT i primärvården" in run.out and "Budget" not in run.out
    assert cli("--store", store_dir, "catalogue", "list", "--body", "kyrkan").code == 1


def test_search_ranks_by_the_needs_life_area_and_the_persons_age():
    adult_work = Offer(id="a", name="Stöd till arbete", life_areas=[LifeArea.WORK], age_min=25)
    youth_work = Offer(id="b", name="Stöd till arbete för unga", life_areas=[LifeArea.WORK], age_max=24)
    health = Offer(id="c", name="Stöd vid oro", life_areas=[LifeArea.MENTAL_HEALTH])
    paused = Offer(id="d", name="Stöd i arbetet", life_areas=[LifeArea.WORK], status=OfferStatus.PAUSED)
    index = SearchIndex([paused, health, youth_work, adult_work])
    young_work = SearchContext(linked=frozenset({LifeArea.WORK}), age=19)
    assert [o.id for o in index.search("stöd", young_work)] == ["b", "a", "c", "d"]
    older_health = SearchContext(linked=frozenset({LifeArea.MENTAL_HEALTH}), other=frozenset({LifeArea.WORK}), age=40)
    assert [o.id for o in index.search("stöd", older_health)][:2] == ["c", "a"]
    # Words in the name count first; every word must be found somewhere.
    assert [o.id for o in index.search("oro")] == ["c"]
    assert index.search("stöd trädgård") == []
    assert [o.id for o in index.search("ARBETE unga")] == ["b"]


_WORDS = ["stöd", "arbete", "kbt", "unga", "oro", "ekonomi", "st", "a"]
_offers = st.lists(
    st.builds(
        Offer,
        name=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join),
        unit=st.sampled_from(["", "Arbete och stöd", "Vårdcentralen"]),
        life_areas=st.lists(st.sampled_from([LifeArea.WORK, LifeArea.MENTAL_HEALTH, LifeArea.ECONOMY]), max_size=2),
        age_min=st.none() | st.integers(0, 40),
        status=st.sampled_from(list(OfferStatus)),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(
    offers=_offers,
    query=st.lists(st.sampled_from([*_WORDS, "s", "ö", "zz"]), max_size=2).map(" ".join),
    limit=st.integers(1, 8),
    first_keys_ready=st.booleans(),
)
def test_the_few_best_shown_while_typing_are_the_top_of_the_full_ranking(offers, query, limit, first_keys_ready):
    """The picker asks for only the best few (and may have the first keys worked
    out ahead): it must show what the full ranking puts first, in that order."""
    context = SearchContext(linked=frozenset({LifeArea.WORK}), other=frozenset({LifeArea.ECONOMY}), age=30)
    index = SearchIndex(offers)
    full = [o.id for o in index.search(query, context)]
    if first_keys_ready:
        index.prepare_first_keys(context, limit)
    for typed in [query[:n] for n in range(1, len(query) + 1)]:  # typed key by key, as in the picker
        assert [o.id for o in index.search(typed, context, limit=limit)] == [
            o.id for o in SearchIndex(offers).search(typed, context)
        ][:limit]
    assert [o.id for o in index.search(query, context, limit=limit)] == full[:limit]


def test_age_comes_from_the_personnummer():
    assert age_on("19850312-2387", dt.date(2026, 3, 10)) == 40
    assert age_on("19850312-2387", dt.date(2026, 3, 12)) == 41
    assert age_on("20100372-1234", dt.date(2026, 3, 12)) == 16  # samordningsnummer: day + 60
    assert age_on(None, dt.date(2026, 3, 12)) is None


def test_the_plans_copy_of_a_chosen_entry_survives_export_and_import(cli, service, tmp_path):
    source = OfferSource(offer_id="demo005", name="KBT i primärvården", chosen_on=dt.date(2026, 3, 10))
    plan = Plan(insatser=[Insats(what="KBT", body=Body.REGION, unit="VC Norr", source=source)])
    plan.person.name = "Maja Påhittad"
    plan = service.save(plan)
    out = tmp_path / "plan.json"
    assert cli("--store", service.store.root, "export", plan.id, "--json", out).code == 0
    other = tmp_path / "other"
    assert cli("--store", other, "import", out).code == 0
    imported = PlanService(PlanStore(other, user="test")).open(plan.id)
    assert imported.insatser[0].source == source


def test_a_damaged_catalogue_is_reported_and_never_written_over(cli, service, store_dir):
    service.catalogue.load_offers([Offer(name="A")])
    path = store_dir / "catalogue.json"
    path.write_text("{broken")
    (store_dir / "catalogue.json.bak").unlink(missing_ok=True)
    run = cli("--store", store_dir, "catalogue", "list")
    assert run.code == 1 and "catalogue.json" in run.err
    with pytest.raises(StoreError):
        service.catalogue.save_offer(Offer(name="B"))
    assert path.read_text() == "{broken"
    assert Provider.CIVIL_SOCIETY.value == "civilsamhalle"
