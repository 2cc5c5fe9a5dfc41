"""What `load_demo` loads, as plain data: publishers and claims here, sources and
their texts in claims/demo/sources.py; claims/demo/load.py does the loading.

The Chery and Jaguar Land Rover facts come from reporting in January and
February 2026; Northbridge, its tram, its hospital, the Aldwater floods and
both football clubs are invented, on `.example` domains.

Each claim's evidence is chosen to land on a firmness level (claims/firmness.py
computes it); the comment above each claim says which, and why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DEMO_NOTE = "Demo snapshot written for factcheck's sample data, not the publisher's own text."


@dataclass(frozen=True)
class PublisherSpec:
    name: str
    domain: str
    kind: str
    reliability: float
    notes: str = ""


@dataclass(frozen=True)
class Version:
    title: str
    text: str
    note: str = DEMO_NOTE


@dataclass(frozen=True)
class SourceSpec:
    url: str
    versions: tuple[Version, ...]


@dataclass(frozen=True)
class Link:
    """Link a source to the claim as evidence; `key` names it for later steps."""

    key: str
    source: str
    stance: str
    certainty: str
    kind: str
    quote: str
    derived_from: str | None = None


@dataclass(frozen=True)
class NewVersion:
    """The source publishes version `number`, so the claims it backs see the change."""

    source: str
    number: int


@dataclass(frozen=True)
class Deprecate:
    key: str
    reason: str


@dataclass(frozen=True)
class SetVerdict:
    verdict: str
    note: str
    evidence: tuple[str, ...] = ()


Step = Link | NewVersion | Deprecate | SetVerdict


@dataclass(frozen=True)
class ClaimSpec:
    text: str
    claimant: str
    first_seen: datetime.date
    tags: tuple[str, ...]
    steps: tuple[Step, ...]
    context: str = ""
    expected_by: datetime.date | None = None
    published: bool = True


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


PUBLISHERS = (
    PublisherSpec("Financial Times", "ft.com", "news", 0.85),
    PublisherSpec("CnEVPost", "cnevpost.com", "news", 0.65, "Covers China's electric-car makers."),
    PublisherSpec("Chery", "cheryinternational.com", "organisation", 0.8, "Chinese carmaker."),
    PublisherSpec("SMMT", "smmt.co.uk", "organisation", 0.85, "UK motor industry trade body."),
    PublisherSpec("GOV.UK", "gov.uk", "government", 0.9),
    PublisherSpec("Motor Mundo (demo)", "motormundo.example", "news", 0.5, "Invented."),
    PublisherSpec("Northbridge Evening Post (demo)", "northbridgepost.example", "news", 0.7),
    PublisherSpec(
        "Northbridge City Council (demo)", "northbridgecouncil.example", "government", 0.9
    ),
    PublisherSpec(
        "Northbridge Health Board (demo)", "northbridgehealth.example", "government", 0.85
    ),
    PublisherSpec(
        "Aldwater Emergency Agency (demo)", "aldwater-emergency.example", "government", 0.9
    ),
    PublisherSpec("Chatter (demo)", "chatter.example", "social", 0.3, "Invented social network."),
    PublisherSpec("Touchline (demo)", "touchline.example", "news", 0.65, "Invented sports site."),
    PublisherSpec("Riverside Rovers (demo)", "riversiderovers.example", "organisation", 0.75),
    PublisherSpec("Harbour City FC (demo)", "harbourcityfc.example", "organisation", 0.75),
)

# Chery and JLR. Confirmed: Chery's own word (primary, certain) on top of hedged reports;
# CnEVPost relies on the FT, so it collapses into the FT's report.
CHERY_AT_JLR = ClaimSpec(
    text="Chery will build cars at Jaguar Land Rover's factories in the UK.",
    claimant="Financial Times (reported); Chery (confirmed)",
    first_seen=_date("2026-01-22"),
    tags=("cars", "uk-industry", "trade"),
    context=(
        "Reported in January 2026 as early talks with no terms agreed; Chery confirmed the plan "
        "in early February 2026, starting with its Omoda and Jaecoo brands."
    ),
    steps=(
        Link("ft", "ft", "supports", "possible", "secondary",
             "in early talks to build cars at Jaguar Land Rover plants"),
        Link("cnevpost", "cnevpost", "supports", "possible", "secondary",
             "may start making cars in the UK at factories run by Jaguar Land Rover",
             derived_from="ft"),
        NewVersion("ft", 2),
        Link("chery", "chery", "supports", "certain", "primary",
             "it will manufacture vehicles at Jaguar Land Rover plants in Britain"),
        Link("motormundo", "motormundo", "supports", "certain", "secondary",
             "Chery has confirmed it will build Omoda and Jaecoo models in Britain"),
        SetVerdict("confirmed", "Chery itself has confirmed the plan, and later reports agree.",
                   ("chery", "motormundo")),
    ),
)  # fmt: skip

# Rumoured: one hedged report from a publisher of middling reliability.
HALEWOOD = ClaimSpec(
    text="JLR's Halewood plant will be the main base for Chery's UK production.",
    claimant="Motor industry talk",
    first_seen=_date("2026-02-03"),
    tags=("cars", "uk-industry"),
    published=False,
    steps=(
        Link("motormundo", "motormundo", "supports", "possible", "secondary",
             "industry talk points to Halewood, home of JLR's smaller models, as the likely base"),
    ),
)  # fmt: skip

# Reported: the government's own target, but a target is only "possible" wording.
PRODUCTION_TARGET = ClaimSpec(
    text="The UK will be building 1.3 million vehicles a year by 2035.",
    claimant="UK government",
    first_seen=_date("2026-01-22"),
    expected_by=_date("2035-12-31"),
    tags=("cars", "uk-industry", "statistics"),
    context=(
        "A government target, not a forecast. The SMMT counted 738,000 vehicles built in the UK "
        "in 2025, so output would have to rise by roughly three quarters."
    ),
    steps=(
        Link("govuk", "govuk", "supports", "possible", "primary",
             "making 1.3 million vehicles a year by 2035"),
        Link("smmt", "smmt", "discusses", "certain", "primary",
             "British factories built 738,000 vehicles in 2025"),
        SetVerdict("unconfirmed", "A target for 2035, far above 2025's output of 738,000.",
                   ("govuk", "smmt")),
    ),
)  # fmt: skip

# Corroborated: four independent reports in firm words from publishers trusted enough,
# nothing yet from JLR itself (five, or JLR's own accounts, would confirm it).
CYBERATTACK_COST = ClaimSpec(
    text="A cyberattack in late 2025 cost Jaguar Land Rover at least £196 million.",
    claimant="News reports",
    first_seen=_date("2026-01-22"),
    tags=("cars", "uk-industry", "cybersecurity"),
    context="JLR's own accounts would settle the figure.",
    steps=(
        Link("ft", "ft", "supports", "certain", "secondary",
             "a cyberattack in late 2025 that cost it at least £196m"),
        Link("cnevpost", "cnevpost", "supports", "certain", "secondary",
             "lost at least £196 million to a cyberattack in late 2025"),
        Link("post", "post-cyber", "supports", "certain", "secondary",
             "cost the carmaker £196 million or more"),
        Link("smmt", "smmt-cyber", "supports", "certain", "secondary",
             "put the cost of the cyber incident at no less than £196 million"),
    ),
)  # fmt: skip

# Refuted and superseded: the council moved its own date; the new date is the next claim.
TRAM_AUGUST = ClaimSpec(
    text="Northbridge's tram Line 3 will open to passengers by the end of August 2026.",
    claimant="Northbridge City Council",
    first_seen=_date("2025-11-04"),
    expected_by=_date("2026-08-31"),
    tags=("transport", "northbridge"),
    steps=(
        Link("post", "post-tram", "supports", "probable", "secondary",
             "should start carrying passengers by the end of August 2026"),
        Link("council", "council-tram", "refutes", "certain", "primary",
             "has moved from August 2026 to spring 2027"),
        SetVerdict("superseded", "The council moved the opening to May 2027, a claim of its own.",
                   ("council",)),
    ),
)  # fmt: skip

# Reported: a primary source, but a plan ("expect"), so probable and below "confirmed".
TRAM_MAY = ClaimSpec(
    text="Northbridge's tram Line 3 will open to passengers by the end of May 2027.",
    claimant="Northbridge City Council",
    first_seen=_date("2026-07-15"),
    expected_by=_date("2027-05-31"),
    tags=("transport", "northbridge"),
    steps=(
        Link("council", "council-tram", "supports", "probable", "primary",
             "expect the line to open to passengers by the end of May 2027"),
        SetVerdict("unconfirmed", "The council's new timetable; signalling tests go on.",
                   ("council",)),
    ),
)  # fmt: skip

# Contested: each club contradicts the other, neither outweighing the other. The window
# has closed, so the daily task flags it as overdue. Touchline's live blog, which only
# discusses the deal, collapses into its article (a later word that took a side would
# have replaced it).
QUILL_TRANSFER = ClaimSpec(
    text=(
        "Riverside Rovers will sign striker Dara Quill from Harbour City before the transfer "
        "window closes on 1 September 2026."
    ),
    claimant="Touchline; Riverside Rovers",
    first_seen=_date("2026-08-20"),
    expected_by=_date("2026-09-01"),
    tags=("football", "transfers"),
    steps=(
        Link("article", "touchline", "supports", "probable", "secondary",
             "have agreed a fee of around £18 million with Harbour City"),
        Link("live", "touchline-live", "discusses", "possible", "secondary",
             "Rovers remain hopeful of a deal"),
        Link("rovers", "rovers", "supports", "probable", "primary",
             "confident of completing the signing in this window"),
        Link("harbour", "harbour", "refutes", "probable", "primary",
             "has not accepted any offer for Dara Quill"),
        SetVerdict("disputed", "The buying club says a deal is close; the selling club denies it.",
                   ("rovers", "harbour")),
    ),
)  # fmt: skip

# Refuted: a hearsay post against the health board's own denial.
MATERNITY_UNIT = ClaimSpec(
    text="Northbridge Health Board will close the maternity unit at St Aldhelm's Hospital in 2027.",
    claimant="Posts on Chatter",
    first_seen=_date("2026-10-02"),
    tags=("health", "northbridge"),
    steps=(
        Link("post", "chatter-maternity", "supports", "possible", "secondary",
             "the maternity unit is closing next year"),
        Link("board", "health-board", "refutes", "certain", "primary",
             "There are no plans to close or move the unit"),
        SetVerdict("denied", "The health board, which runs the hospital, says it has no such plan.",
                   ("board",)),
    ),
)  # fmt: skip

# Refuted: the official count is a tenth of the viral figure.
FLOOD_EVACUEES = ClaimSpec(
    text="The Aldwater valley floods of October 2026 drove 40,000 people from their homes.",
    claimant="Posts on Chatter",
    first_seen=_date("2026-10-15"),
    tags=("weather", "floods"),
    steps=(
        Link("post", "chatter-flood", "supports", "certain", "secondary",
             "40,000 people driven out of their homes in the Aldwater valley"),
        Link("agency", "agency-flood", "refutes", "certain", "primary",
             "Around 4,000 residents were evacuated"),
        Link("paper", "post-flood", "refutes", "certain", "secondary",
             "About 4,000 people left their homes"),
        SetVerdict("false", "The emergency agency counted about 4,000 evacuees, not 40,000.",
                   ("agency", "paper")),
    ),
)  # fmt: skip

# No evidence: the only link was about another flood, so it was deprecated.
FLOOD_LOSSES = ClaimSpec(
    text="Insured losses from the October 2026 Aldwater valley floods will exceed £500 million.",
    claimant="Unattributed estimate",
    first_seen=_date("2026-10-20"),
    tags=("weather", "floods", "insurance"),
    published=False,
    steps=(
        Link("2019", "post-2019", "supports", "probable", "secondary",
             "Insurers paid out about £520 million for the November 2019 floods"),
        Deprecate("2019", "About the 2019 floods, not this year's: linked by mistake."),
    ),
)  # fmt: skip

CLAIMS = (
    CHERY_AT_JLR,
    HALEWOOD,
    PRODUCTION_TARGET,
    CYBERATTACK_COST,
    TRAM_AUGUST,
    TRAM_MAY,
    QUILL_TRANSFER,
    MATERNITY_UNIT,
    FLOOD_EVACUEES,
    FLOOD_LOSSES,
)
