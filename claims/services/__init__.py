"""Work on claims that spans models or has side effects.

Every service takes keyword arguments only and runs in one transaction. One module a
subject: `claims` (the claim, its verdict, the review queue), `evidence` (linking sources,
labels), `suggestions` (what the assessor reads in sources), `matching` and `link_offers`
(which claims a text speaks to), `scoring` (firmness, stored), `timeline` (events and review
flags) and `changes` (the sequence every change to a claim goes through).
"""
