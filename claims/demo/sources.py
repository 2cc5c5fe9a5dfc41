"""The demo's sources and the text of each version, written for this demo in our own words.

Real publishers' domains carry made-up `demo` paths; the invented stories live on
`.example` domains. claims/demo/data.py says which claims each source backs.
"""

from __future__ import annotations

from claims.demo.data import SourceSpec, Version

FT_HEDGED = (
    "Chinese carmaker Chery is in early talks to build cars at Jaguar Land Rover plants in "
    "Britain, people briefed on the discussions say. Nothing has been signed and the terms are "
    "still open. Ministers want a Chinese manufacturer to put down roots in the UK and see idle "
    "lines at JLR as one way to get there. Their goal is for British factories to turn out 1.3 "
    "million vehicles a year by 2035, while the industry body SMMT counted about 738,000 built in "
    "2025. JLR, owned by India's Tata Motors, has long run a joint venture with Chery in China "
    "and licensed it the Freelander name in 2024. JLR is still recovering from a cyberattack in "
    "late 2025 that cost it at least £196m."
)

SOURCES = {
    "ft": SourceSpec(
        "https://www.ft.com/content/demo-chery-jlr-plants",
        (
            Version("Chery in talks to build cars at JLR plants", FT_HEDGED),
            Version(
                "Chery confirms it will build cars at JLR plants",
                "Update: Chery has now said it will make vehicles at JLR's British factories, "
                "starting with its Omoda and Jaecoo brands. Our earlier report follows. "
                + FT_HEDGED,
                "Demo: the article was updated once Chery confirmed the plan.",
            ),
        ),
    ),
    "cnevpost": SourceSpec(
        "https://cnevpost.com/demo/chery-weighs-uk-production-at-jlr",
        (
            Version(
                "Chery said to weigh UK production at JLR sites",
                "Chery may start making cars in the UK at factories run by Jaguar Land Rover, "
                "the Financial Times reported. Chinese industry sources say the discussions are "
                "real but that no deal exists yet. Sales of Omoda and Jaecoo, two of Chery's "
                "labels, have climbed fast in Britain, and Chery people have in the past named "
                "the UK's high energy and labour costs as hurdles for a factory there. JLR, "
                "which belongs to Tata Motors, lost at least £196 million to a cyberattack in "
                "late 2025.",
            ),
        ),
    ),
    "chery": SourceSpec(
        "https://www.cheryinternational.com/news/demo-uk-production",
        (
            Version(
                "Chery to produce vehicles at JLR plants in Britain",
                "Chery confirmed that it will manufacture vehicles at Jaguar Land Rover plants "
                "in Britain. The first models to be made there will come from its Omoda and "
                "Jaecoo ranges. Building in Britain lets Chery serve European drivers "
                "from a local base and puts spare capacity at JLR to work. The two companies "
                "have been partners for more than a decade through their joint venture in China.",
            ),
        ),
    ),
    "motormundo": SourceSpec(
        "https://motormundo.example/2026/02/demo-chery-jlr-halewood",
        (
            Version(
                "Chery's British plan: which JLR plant?",
                "Chery has confirmed it will build Omoda and Jaecoo models in Britain using "
                "Jaguar Land Rover factories, turning the old partnership around: for years it "
                "was JLR models that came off Chery's lines in China. Local production would "
                "spare Chery the duties on cars shipped from China and fill JLR lines that run "
                "below capacity. Neither company has named a plant, but industry talk points "
                "to Halewood, home of JLR's smaller models, as the likely base.",
            ),
        ),
    ),
    "govuk": SourceSpec(
        "https://www.gov.uk/government/news/demo-vehicle-production-ambition",
        (
            Version(
                "Ambition for UK vehicle manufacturing",
                "The government wants the UK to be making 1.3 million vehicles a year by 2035. "
                "To get there it will work with carmakers from around the world, including on "
                "using spare capacity in existing British plants.",
            ),
        ),
    ),
    "smmt": SourceSpec(
        "https://www.smmt.co.uk/demo/uk-vehicle-output-2025",
        (
            Version(
                "UK vehicle output in 2025",
                "British factories built 738,000 vehicles in 2025, according to SMMT figures. "
                "Output has fallen well below the levels of the last decade.",
            ),
        ),
    ),
    "post-tram": SourceSpec(
        "https://northbridgepost.example/news/demo-tram-line-3-august",
        (
            Version(
                "Line 3 set for late-summer opening",
                "Trams on Northbridge's new Line 3 should start carrying passengers by the end "
                "of August 2026, according to the council's latest timetable. Test runs between "
                "Castle Street and the university are planned for the spring.",
            ),
        ),
    ),
    "council-tram": SourceSpec(
        "https://northbridgecouncil.example/news/demo-line-3-new-opening-date",
        (
            Version(
                "Line 3: new opening date",
                "The opening of tram Line 3 has moved from August 2026 to spring 2027. Tests "
                "of the new signalling found faults that must be put right before passengers "
                "can travel. We now expect the line to open to passengers by the end of May "
                "2027, and we apologise for the delay.",
            ),
        ),
    ),
    "touchline": SourceSpec(
        "https://touchline.example/transfers/demo-rovers-agree-fee-for-quill",
        (
            Version(
                "Rovers agree fee for Quill",
                "Riverside Rovers have agreed a fee of around £18 million with Harbour City for "
                "striker Dara Quill, Touchline understands, and want the deal done before the "
                "window shuts on 1 September.",
            ),
        ),
    ),
    "touchline-live": SourceSpec(
        "https://touchline.example/live/demo-deadline-day",
        (
            Version(
                "Deadline day, live",
                "10:42 No sign yet of Dara Quill at the Rovers training ground. We hear Rovers "
                "remain hopeful of a deal, but time is running out.",
            ),
        ),
    ),
    "rovers": SourceSpec(
        "https://riversiderovers.example/news/demo-club-statement-quill",
        (
            Version(
                "Club statement",
                "Riverside Rovers are in talks with Harbour City about Dara Quill and are "
                "confident of completing the signing in this window. The club will say no more "
                "until the talks are over.",
            ),
        ),
    ),
    "harbour": SourceSpec(
        "https://harbourcityfc.example/news/demo-statement-dara-quill",
        (
            Version(
                "Statement on Dara Quill",
                "Harbour City has not accepted any offer for Dara Quill. Dara is under contract "
                "until 2029, matters a great deal to this squad and is not for sale.",
            ),
        ),
    ),
    "chatter-maternity": SourceSpec(
        "https://chatter.example/northbridgewatch/demo-post-1",
        (
            Version(
                "Post by @northbridgewatch",
                "A friend who works at St Aldhelm's says the maternity unit is closing next year "
                "and mums will have to go all the way to Kingsmoor. Share this!",
            ),
        ),
    ),
    "health-board": SourceSpec(
        "https://northbridgehealth.example/news/demo-st-aldhelms-maternity",
        (
            Version(
                "St Aldhelm's maternity unit",
                "Posts online say the maternity unit at St Aldhelm's Hospital will close. That "
                "is wrong. There are no plans to close or move the unit, and six more midwives "
                "are joining it this winter.",
            ),
        ),
    ),
    "chatter-flood": SourceSpec(
        "https://chatter.example/stormspotter/demo-post-2",
        (
            Version(
                "Post by @stormspotter",
                "40,000 people driven out of their homes in the Aldwater valley tonight and "
                "nobody is reporting it.",
            ),
        ),
    ),
    "agency-flood": SourceSpec(
        "https://aldwater-emergency.example/updates/demo-flood-evacuations",
        (
            Version(
                "Aldwater valley flooding: update",
                "Around 4,000 residents were evacuated from their homes in the Aldwater valley "
                "during the flooding of 14 to 16 October 2026. Most have now gone home; three "
                "rest centres stay open.",
            ),
        ),
    ),
    "post-flood": SourceSpec(
        "https://northbridgepost.example/news/demo-aldwater-floods",
        (
            Version(
                "Thousands leave homes as the Aldwater floods",
                "About 4,000 people left their homes as the River Aldwater flooded villages "
                "along the valley. Insurers have not yet said what the damage will cost.",
            ),
        ),
    ),
    "post-2019": SourceSpec(
        "https://northbridgepost.example/news/demo-2019-flood-insurance",
        (
            Version(
                "Insurers put 2019 flood bill at £520m",
                "Insurers paid out about £520 million for the November 2019 floods across the "
                "region, their trade body says.",
            ),
        ),
    ),
    "post-cyber": SourceSpec(
        "https://northbridgepost.example/business/demo-jlr-cyberattack-bill",
        (
            Version(
                "JLR's cyberattack bill",
                "The cyberattack that stopped Jaguar Land Rover's lines last autumn cost the "
                "carmaker £196 million or more, suppliers around Northbridge were told, and "
                "several of them are still waiting to be paid for parts delivered in September.",
            ),
        ),
    ),
    "smmt-cyber": SourceSpec(
        "https://www.smmt.co.uk/demo/output-after-the-jlr-cyber-incident",
        (
            Version(
                "Output after the JLR cyber incident",
                "Car output fell sharply in the autumn while JLR's plants stood idle. The "
                "carmaker has put the cost of the cyber incident at no less than £196 million, "
                "and the wider supply chain lost weeks of work.",
            ),
        ),
    ),
}
