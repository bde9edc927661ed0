"""The bundled dataset: complete, sourced, consistent, and covering the
most-prescribed drugs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from medinfo.schema import read_table
from medinfo.sections import SECTIONS

from conftest import DATA, ROOT, Run, monographs

TAGS = read_table(ROOT / "data" / "class_tags.toml", "tags")
PENDING = read_table(ROOT / "data" / "pending.toml", "pending")
IDS = {str(d["id"]) for _, d in monographs()}
TOP300 = ROOT.parent / "shared" / "coverage" / "top300.csv"
OTC_STAPLES = ["acetaminophen", "ibuprofen", "naproxen", "aspirin", "diphenhydramine", "loratadine",
               "cetirizine", "fexofenadine", "famotidine", "omeprazole", "loperamide", "guaifenesin",
               "dextromethorphan", "pseudoephedrine", "melatonin"]  # fmt: skip
ALL = list(monographs())

# the main use of every coverage drug, as a reader would type it, and the drugs
# that search must rank near the top for it
MAIN_USES = {
    "high blood pressure": ["amlodipine", "atenolol", "carvedilol", "chlorthalidone", "clonidine", "diltiazem", "furosemide", "hydralazine", "hydrochlorothiazide", "irbesartan", "lisinopril", "lisinopril-hydrochlorothiazide", "losartan", "losartan-hydrochlorothiazide", "metoprolol", "nifedipine", "olmesartan", "propranolol", "spironolactone", "triamterene-hydrochlorothiazide", "valsartan"],
    "type 2 diabetes": ["metformin", "glipizide", "glimepiride", "pioglitazone", "sitagliptin", "empagliflozin", "dapagliflozin", "dulaglutide", "semaglutide", "tirzepatide", "insulin-glargine", "insulin-aspart", "insulin-lispro"],
    "depression": ["sertraline", "escitalopram", "citalopram", "fluoxetine", "paroxetine", "duloxetine", "venlafaxine", "bupropion", "mirtazapine", "trazodone", "amitriptyline"],
    "anxiety": ["buspirone", "alprazolam", "lorazepam", "hydroxyzine", "diazepam"],
    "panic disorder": ["clonazepam", "alprazolam"],
    "pain": ["acetaminophen", "ibuprofen", "naproxen", "aspirin", "celecoxib", "diclofenac", "tramadol", "oxycodone", "oxycodone-acetaminophen", "hydrocodone-acetaminophen"],
    "osteoarthritis": ["meloxicam", "celecoxib", "diclofenac", "naproxen"],
    "infections": ["amoxicillin", "amoxicillin-clavulanate", "azithromycin", "cephalexin", "clindamycin", "doxycycline", "sulfamethoxazole-trimethoprim"],
    "urinary tract infection": ["nitrofurantoin"],
    "allergies": ["loratadine", "cetirizine", "fexofenadine", "diphenhydramine", "fluticasone"],
    "rhinitis": ["azelastine"],
    "cholesterol": ["atorvastatin", "rosuvastatin", "simvastatin", "pravastatin", "lovastatin", "ezetimibe", "fenofibrate"],
    "heartburn": ["omeprazole", "esomeprazole", "pantoprazole", "famotidine"],
    "seizures": ["levetiracetam", "topiramate", "gabapentin", "lamotrigine", "clonazepam"],
    "ADHD": ["methylphenidate", "dexmethylphenidate", "dextroamphetamine-amphetamine", "lisdexamfetamine"],
    "insomnia": ["zolpidem"],
    "prevent pregnancy": ["levonorgestrel-ethinyl-estradiol", "norethindrone-ethinyl-estradiol", "norgestimate-ethinyl-estradiol", "norethindrone"],
    "asthma": ["albuterol", "montelukast", "fluticasone-salmeterol", "budesonide-formoterol", "fluticasone-vilanterol"],
    "COPD": ["fluticasone-umeclidinium-vilanterol"],
    "blood clots": ["warfarin", "apixaban", "rivaroxaban"],
    "stroke": ["clopidogrel"],
    "gout": ["allopurinol"],
    "herpes": ["acyclovir", "valacyclovir"],
    "osteoporosis": ["alendronate"],
    "hypothyroidism": ["levothyroxine", "thyroid"],
    "schizophrenia": ["aripiprazole", "quetiapine"],
    "muscle spasms": ["cyclobenzaprine", "methocarbamol"],
    "spasticity": ["baclofen", "tizanidine"],
    "nausea": ["ondansetron"],
    "motion sickness": ["meclizine"],
    "overactive bladder": ["oxybutynin"],
    "enlarged prostate": ["tamsulosin", "finasteride"],
    "glaucoma": ["latanoprost"],
    "migraine": ["sumatriptan"],
    "erectile dysfunction": ["sildenafil"],
    "rheumatoid arthritis": ["adalimumab", "methotrexate", "hydroxychloroquine"],
    "inflammation": ["prednisone", "prednisolone", "methylprednisolone"],
    "eczema": ["clobetasol", "triamcinolone"],
    "Alzheimer": ["donepezil", "memantine"],
    "angina": ["isosorbide-mononitrate"],
    "heart failure": ["carvedilol", "spironolactone"],
    "cough": ["benzonatate", "dextromethorphan"],
    "mucus": ["guaifenesin"],
    "constipation": ["docusate"],
    "diarrhea": ["loperamide"],
    "vitamin D": ["cholecalciferol", "ergocalciferol"],
    "vitamin B12": ["cyanocobalamin"],
    "folic acid deficiency": ["folic-acid"],
    "iron deficiency": ["ferrous-sulfate"],
    "menopause": ["estradiol"],
    "amenorrhea": ["progesterone"],
    "testosterone": ["testosterone"],
    "low potassium": ["potassium-chloride"],
    "fungal": ["ketoconazole"],
    "nasal congestion": ["pseudoephedrine"],
    "sleep": ["melatonin"],
    "nerve pain": ["pregabalin"],
}  # fmt: skip


def coverage_names() -> list[str]:
    if TOP300.exists():
        with TOP300.open(encoding="utf-8") as fh:
            rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#")]
        top = [name for rank, name in rows[1:] if int(rank) <= 150]
    else:  # pragma: no cover - shared/ sits beside every checkout here
        pytest.skip("shared/coverage/top300.csv is not beside this checkout")
    return top + OTC_STAPLES


@pytest.mark.parametrize("path, doc", ALL, ids=[p.stem for p, _ in ALL])
def test_monograph_is_complete_and_sourced(path: Path, doc: dict[str, object]) -> None:
    sections = doc["sections"]
    assert isinstance(sections, dict)
    assert set(sections) == {s.id for s in SECTIONS if s.kind != "interactions"}
    sources = doc["sources"]
    assert isinstance(sources, list)
    labels = [s for s in sources if s["kind"] == "fda-label"]
    if doc.get("no_fda_label"):
        assert any(s["kind"] == "medlineplus" for s in sources)
    else:
        assert labels
    for s in labels:
        assert re.fullmatch(r"[0-9a-f-]{36}", s["setid"])
        assert isinstance(s["effective"], dt.date)
        assert s["setid"] in s["url"]
    assert isinstance(doc["reviewed"], dt.date)
    assert all(t in TAGS for t in doc["class_tags"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("path, doc", ALL, ids=[p.stem for p, _ in ALL])
def test_references_exist(path: Path, doc: dict[str, object]) -> None:
    sections = doc["sections"]
    assert isinstance(sections, dict)
    for alt in sections["alternatives"]:
        if "id" in alt:
            assert alt["id"] in IDS or alt["id"] in PENDING, f"{path.name}: alternative {alt['id']}"
    for entry in doc.get("interactions", []):  # type: ignore[attr-defined]
        for name in entry["with"]:
            assert name in IDS or name in TAGS or name in PENDING, (
                f"{path.name}: interaction with {name}"
            )


def test_schema_doc_lists_exactly_the_vocabulary() -> None:
    text = (ROOT / "data" / "SCHEMA.md").read_text()
    documented = re.findall(
        r"^\| `([a-z0-9-]+)` \| ", text.split("## Class-tag vocabulary")[1], re.M
    )
    assert documented == list(TAGS)


def test_no_two_drugs_share_a_name() -> None:
    from medinfo.text import squash

    seen: dict[str, str] = {}
    for _, doc in ALL:
        for name in [doc["id"], doc["name"], *doc["brands"], *doc["other_names"]]:  # type: ignore[misc]
            key = squash(str(name))
            assert seen.setdefault(key, str(doc["id"])) == doc["id"], f"{name} is two drugs"


def test_pending_drugs_are_explained_and_not_shipped() -> None:
    for ident, entry in PENDING.items():
        assert ident not in IDS, f"{ident} ships now: remove it from data/pending.toml"
        assert entry["reason"] and entry["name"] in coverage_names()


@pytest.mark.parametrize("name", coverage_names())
def test_coverage_drug_resolves_by_generic_name_and_brands(run: Run, name: str) -> None:
    if name in {entry["name"] for entry in PENDING.values()}:
        assert run("show", name).exit_code == 1  # listed as pending: see the test above
        return
    result = run("show", name, "--json")
    assert result.exit_code == 0, f"{name}: {result.stderr}"
    data = json.loads(result.stdout)
    assert data["match"]["guessed"] is False
    for brand in data["brands"]:
        again = json.loads(run("show", brand, "--json").stdout)
        assert again["id"] == data["id"], brand


@pytest.mark.parametrize("query", [q for q, ids in MAIN_USES.items() if IDS & set(ids)])
def test_search_finds_drug_by_main_use(run: Run, query: str) -> None:
    expected = [i for i in MAIN_USES[query] if i in IDS]
    result = run("search", query, "--limit", str(len(expected) + 5), "--json")
    ranked = [r["id"] for r in json.loads(result.stdout)["results"]]
    assert set(expected) <= set(ranked), ranked


def test_every_drug_has_a_main_use_to_search_by() -> None:
    named = {i for ids in MAIN_USES.values() for i in ids}
    assert IDS <= named and named <= IDS | set(PENDING)


def test_dataset_files_are_named_by_id() -> None:
    assert sorted(p.stem for p in DATA.glob("*.toml")) == sorted(IDS)
