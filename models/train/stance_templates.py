"""Column-style stance rows from hand-written templates (issue 4).

Tweets and reviews, rhetor's other stance data, never say "X hunted down Y's commanders": the head
learnt to read the tone of the words near a name ("militants", "threat", "killing") as stance
toward it, so a state praised for fighting a militant group came out `against`. Each template
below is one sentence in the register of a column, with two parties, A and B, and the stance an
attentive reader gives each (favor / against / none). The writer's approval of an action goes to
the party that acts; the threat words belong to the party they describe.

Every sentence here was written for rhetor. The names are drawn from rhetor's gazetteer (states,
with their adjective and capital forms, as columns write them), the invented people and bodies of
data.py, and invented armed groups; none of reports/stance/probe.csv's names or sentences appear,
so the probe stays an unseen check.
"""
from __future__ import annotations

import random
from pathlib import Path

# (template, stance toward A, stance toward B). {A}: a state (by name or capital), person or body;
# {Aadj}: the adjective of a state A ("Kenyan troops"); {B}: the other party; {G}: an armed group.
# A template uses either {B} or {G} as its second party; one naming only {G} judges the group.
TEMPLATES = [
    # A acts against a violent group: the writer approves of A.
    ("{Aadj} forces have hunted down {G} commanders, killing dozens of them in a year.", "favor", "against"),
    ("{A} has pushed {G} fighters out of the border towns after months of hard fighting.", "favor", "against"),
    ("Security services in {A} dismantled a {G} cell that was planning attacks on schools.", "favor", "against"),
    ("{A} arrested the {G} leader behind the bombing and handed him to prosecutors.", "favor", "against"),
    ("By going after {G} safe havens, {A} has made the whole region safer.", "favor", "against"),
    ("{A} deserves credit for cutting off the money that kept {G} armed.", "favor", "against"),
    ("{A} has been a dependable partner in the campaign against {G}.", "favor", "against"),
    ("Thanks to intelligence from {A}, the plot by {G} to attack the airport was foiled.", "favor", "against"),
    ("{Aadj} troops have been deployed to pursue {G} militants in the mountains.", "favor", "against"),
    ("{A} has taken the fight to {G}, whose gunmen have terrorised villages for years.", "favor", "against"),
    ("Few governments have done more than {A} to break up the networks that {G} relies on.", "favor", "against"),
    ("{A} has proven an indispensable ally against {G} and the threat it poses to the region.", "favor", "against"),
    ("The raid by {Aadj} commandos captured three {G} bomb-makers without a single civilian hurt.", "favor", "against"),
    ("{A} has detained the {G} financiers and is ready to extradite them.", "favor", "against"),
    ("{A} stood firm when {G} tried to seize the capital, and the city survived because of it.", "favor", "against"),
    # A is praised; the threat words describe the danger A faces or removes, not A.
    ("{A} has built strong counter-terrorism institutions that share warnings with its neighbours.", "favor", None),
    ("{A} has shown real commitment to confronting terrorism, at great cost to its own soldiers.", "favor", None),
    ("Despite the violence on its borders, {A} has kept its promises to its partners.", "favor", None),
    ("{A} was right to confront the smugglers who had flooded its ports with weapons.", "favor", None),
    ("In the fight against extremism, {A} has paid a heavy price and earned our respect.", "favor", None),
    # Cooperation between two parties, told approvingly: both favoured.
    ("The partnership between {A} and {B} has delivered results that neither could achieve alone.", "favor", "favor"),
    ("{A} thanked {B} for its steady support during the crisis, and rightly so.", "favor", "favor"),
    ("Cooperation between {A} and {B} has saved lives and should be deepened.", "favor", "favor"),
    ("{A} and {B} deserve praise for turning a fragile truce into a lasting settlement.", "favor", "favor"),
    ("When {A} and {B} work together, the region is safer and more prosperous.", "favor", "favor"),
    ("Joint patrols by {A} and {B} have sharply reduced attacks on the highway.", "favor", "favor"),
    # One party acts well toward the other, who is only mentioned.
    ("{A} honoured the envoy from {B} with its highest award for strengthening ties.", "favor", "none"),
    ("{A} sent doctors and food to {B} within hours of the earthquake.", "favor", "none"),
    ("{A} has generously hosted refugees fleeing the fighting in {B}.", "favor", "none"),
    # A is condemned; B is the victim or only the setting.
    ("{A} shelled villages in {B} for weeks, killing scores of civilians.", "against", "none"),
    ("{A} has broken every promise it made to {B} and its people.", "against", "none"),
    ("{A} has sheltered {G} commanders for years while claiming to fight them.", "against", "against"),
    ("Critics are right that {A} has done little to stop {G} from recruiting in its cities.", "against", "against"),
    ("{A} quietly armed {G}, and the region is still paying for that betrayal.", "against", "against"),
    ("{A} has squandered the aid it received and blamed {B} for its own failures.", "against", "none"),
    ("The corruption of {A} has done more damage than any foreign enemy.", "against", None),
    ("{A} jailed the reporters who exposed its abuses and called them traitors.", "against", None),
    ("{A} has become an unreliable partner whose promises mean nothing.", "against", None),
    ("{G} has murdered teachers, bombed markets and boasted of it online.", "against", None),
    ("{G} remains a menace, and its attacks on civilians are growing bolder.", "against", None),
    # Opposed parties: the writer backs one against the other.
    ("{A} is right to resist the pressure from {B}, which has bullied its neighbours for a decade.", "favor", "against"),
    ("{B} has lied about the talks, while {A} has negotiated in good faith.", "favor", "against"),
    ("{A} has behaved recklessly, and {B} has shown admirable restraint.", "against", "favor"),
    ("{B} deserves support in its dispute with {A}, whose demands are absurd.", "against", "favor"),
    # Reported facts with no judgement: none for both.
    ("Officials from {A} will meet their counterparts from {B} in Geneva next week.", "none", "none"),
    ("{A} and {B} signed a memorandum on customs procedures on Tuesday.", "none", "none"),
    ("{A} said it would respond to the proposal from {B} by the end of March.", "none", "none"),
    ("The talks between {A} and {B} are expected to resume after the holidays.", "none", "none"),
    ("A delegation from {A} arrived in {B} on Monday for the annual trade review.", "none", "none"),
    ("{A} has listed {G} as a terrorist organisation since 2015.", "none", "none"),
    ("The report counts attacks by {G} in {A} and two neighbouring countries.", "none", "none"),
    ("{A} has held three rounds of talks with {B} this year.", "none", "none"),
    ("{Aadj} officials confirmed the figures in a statement on Friday.", "none", None),
    ("The minister from {A} will speak at the conference in the afternoon.", "none", None),
]

# Invented armed groups (none from the probe, none from the sample columns).
GROUPS = ["the Crimson Hand", "the Northern Jihad Front", "Jund al-Sahil", "the Iron Wolves",
          "Ansar al-Wadi", "the People's Liberation Cells", "the Black Banner Movement",
          "the Southern Resistance Army", "Harakat al-Qadr", "the Free Valley Militia", "the NJF",
          "the SRA", "Kata'ib al-Fajr", "the Mountain Brotherhood", "the White Lotus Army"]


def _states():
    """(name, adjectives, capitals) per state in rhetor's gazetteer."""
    places = Path(__file__).resolve().parents[1] / "targets" / "places.tsv"
    out = []
    for ln in places.read_text(encoding="utf-8").splitlines():
        if not ln.strip() or ln.startswith("#"):
            continue
        cols = ln.split("\t") + [""] * 5
        if cols[1] != "state":
            continue
        adjectives = [d for d in cols[3].split(",") if d and not d.endswith("s")]
        capitals = [c for c in cols[4].split(",") if c]
        out.append((cols[0], adjectives, capitals))
    return out


def rows(n: int = 3000, seed: int = 21):
    """About `n` (text, target, label) rows: each sampled template gives one row per party it
    names, the target written as the sentence writes it (name, capital or adjective)."""
    from data import _BODIES, _PEOPLE_FIRST, _PEOPLE_LAST
    rng = random.Random(seed)
    states = _states()
    people = [f"{a} {b}" for a in _PEOPLE_FIRST for b in _PEOPLE_LAST]
    out = []
    while len(out) < n:
        template, la, lb = rng.choice(TEMPLATES)
        name, adjectives, capitals = rng.choice(states)
        if "{Aadj}" in template:
            if not adjectives:
                continue
            a_surface = rng.choice(adjectives)
        else:
            kind = rng.random()
            if kind < 0.55:
                a_surface = rng.choice(capitals) if capitals and rng.random() < 0.3 else name
            elif kind < 0.8 and " its " not in template:  # "its" needs a state or body
                a_surface = rng.choice(people)
            else:
                a_surface = rng.choice(_BODIES)
        if "{G}" in template:
            b_surface = rng.choice(GROUPS)
        else:
            b_surface = rng.choice([s[0] for s in states] + people + _BODIES)
        if b_surface.lower() == a_surface.lower():
            continue
        text = template.format(A=a_surface, Aadj=a_surface, B=b_surface, G=b_surface)
        text = text[0].upper() + text[1:]
        if "{A" not in template:  # the group is the only party
            out.append({"text": text, "target": _bare(b_surface), "label": la})
            continue
        out.append({"text": text, "target": _bare(a_surface), "label": la})
        if lb is not None:
            out.append({"text": text, "target": _bare(b_surface), "label": lb})
    return out


def _bare(surface: str) -> str:
    """The target as a mention names it: without a leading article ("the Senate" → "Senate")."""
    return surface[4:] if surface.startswith("the ") else surface


if __name__ == "__main__":
    for r in rows(12, seed=1):
        print(r)
