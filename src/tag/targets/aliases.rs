//! Folds the names found in each sentence into targets: capitals into the states the text
//! names, acronyms into their expansions, short forms into full names ("Gen Kurilla" →
//! "Michael Kurilla"), headings matched by the forms the body uses, and `--target` specs on top.

use super::detect::{self, Link, NameInfo, RawMention, What, key_of};
use super::gazetteer::{Form, Gazetteer, PlaceKind};
use super::{Line, Mention, Options, Target, TargetKind, TargetSpec, find_word};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One occurrence of a name in the document.
#[derive(Debug, Clone)]
struct Occ {
    line: usize,
    start: usize,
    end: usize,
    node: usize,
    name: Option<NameInfo>,
}

/// Graph nodes: places by index, other names by key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    Place(usize),
    Name(String),
}

#[derive(Default)]
struct Nodes {
    ids: HashMap<Node, usize>,
    nodes: Vec<Node>,
    parent: Vec<usize>,
}

impl Nodes {
    fn id(&mut self, n: Node) -> usize {
        if let Some(&i) = self.ids.get(&n) {
            return i;
        }
        let i = self.nodes.len();
        self.ids.insert(n.clone(), i);
        self.nodes.push(n);
        self.parent.push(i);
        i
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins two groups; a place stays the root so that the group keeps its place.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let a_place = matches!(self.nodes[ra], Node::Place(_));
        let b_place = matches!(self.nodes[rb], Node::Place(_));
        if a_place && b_place {
            return; // two states are never one target
        }
        if b_place {
            self.parent[ra] = rb;
        } else {
            self.parent[rb] = ra;
        }
    }
}

/// The node a surface form stands for: a gazetteer name or demonym is its place; anything else
/// is a name keyed by [`key_of`].
fn node_of(surface: &str, gaz: &Gazetteer) -> Node {
    match gaz.lookup(surface) {
        Some((p, Form::Name | Form::Demonym)) => Node::Place(p),
        _ => Node::Name(key_of(surface)),
    }
}

pub(super) fn group(
    lines: &[Line<'_>],
    gaz: &Gazetteer,
    user: &[TargetSpec],
    opts: &Options,
) -> Vec<Target> {
    let mut nodes = Nodes::default();
    let mut occs: Vec<Occ> = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    let mut raw: Vec<(usize, RawMention)> = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        if line.heading {
            raw.extend(detect::heading(line.text, gaz).into_iter().map(|m| (li, m)));
        } else {
            let (found, l) = detect::body(line.text, gaz);
            raw.extend(found.into_iter().map(|m| (li, m)));
            links.extend(l);
        }
    }

    // Capitals fold into a place only where the text names the place itself.
    let named: BTreeSet<usize> = raw
        .iter()
        .filter_map(|(_, m)| match m.what {
            What::Place { place, form } if form != Form::Capital => Some(place),
            _ => None,
        })
        .collect();
    for (li, m) in raw {
        let text = &lines[li].text[m.start..m.end];
        let (node, name) = match m.what {
            What::Place {
                form: Form::Capital,
                ..
            } => {
                let place = gaz
                    .places
                    .iter()
                    .enumerate()
                    .find(|(i, p)| named.contains(i) && p.capitals.iter().any(|c| c == text))
                    .map(|(i, _)| i);
                match place {
                    Some(p) => (Node::Place(p), None),
                    None => (
                        Node::Name(key_of(text)),
                        Some(NameInfo {
                            key: key_of(text),
                            tokens: text.split_whitespace().count(),
                            titled: false,
                            acronym: false,
                            organisation: false,
                            initial_only: false,
                        }),
                    ),
                }
            }
            What::Place { place, .. } => (Node::Place(place), None),
            What::Name(info) => (node_of(text, gaz), Some(info)),
        };
        let node = nodes.id(node);
        occs.push(Occ {
            line: li,
            start: m.start,
            end: m.end,
            node,
            name,
        });
    }

    // Definitions in the text: acronym ↔ expansion, name ↔ alias.
    let mut link_surfaces: Vec<(usize, String)> = Vec::new();
    for l in &links {
        let (a, b) = (nodes.id(node_of(&l.a, gaz)), nodes.id(node_of(&l.b, gaz)));
        nodes.union(a, b);
        link_surfaces.push((a, l.a.clone()));
        link_surfaces.push((b, l.b.clone()));
    }

    fold_short_forms(&mut nodes, &occs);

    // A capitalised word that only ever opens a sentence ("Concisely", "History") is no name,
    // unless a definition or a full name vouches for it.
    let mut group_size: HashMap<usize, usize> = HashMap::new();
    for i in 0..nodes.nodes.len() {
        *group_size.entry(nodes.find(i)).or_default() += 1;
    }
    let mut evidence: BTreeSet<usize> = BTreeSet::new();
    for o in &occs {
        let root = nodes.find(o.node);
        if o.name.as_ref().is_none_or(|n| !n.initial_only) || group_size[&root] > 1 {
            evidence.insert(root);
        }
    }
    occs.retain(|o| evidence.contains(&nodes.find(o.node)));

    // Headings: the surface forms the body uses, longest first.
    let mut surfaces: Vec<(String, usize)> = occs
        .iter()
        .filter(|o| !lines[o.line].heading)
        .map(|o| (lines[o.line].text[o.start..o.end].to_string(), o.node))
        .chain(link_surfaces.iter().map(|(n, s)| (s.clone(), *n)))
        .collect();
    surfaces.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    surfaces.dedup_by(|a, b| a.0 == b.0);
    for (li, line) in lines.iter().enumerate().filter(|(_, l)| l.heading) {
        for (surface, node) in &surfaces {
            for (s, e) in find_word(line.text, surface) {
                let taken = occs
                    .iter()
                    .any(|o| o.line == li && o.start < e && s < o.end);
                if !taken {
                    occs.push(Occ {
                        line: li,
                        start: s,
                        end: e,
                        node: *node,
                        name: None,
                    });
                }
            }
        }
    }

    // Groups, by root.
    let mut groups: BTreeMap<usize, Vec<Occ>> = BTreeMap::new();
    for o in occs {
        groups.entry(nodes.find(o.node)).or_default().push(o);
    }
    let mut link_by_root: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (n, s) in link_surfaces {
        link_by_root.entry(nodes.find(n)).or_default().push(s);
    }

    let mut user_targets = Vec::new();
    for spec in user {
        user_targets.push(user_target(
            spec,
            lines,
            gaz,
            &nodes,
            &mut groups,
            &link_by_root,
        ));
    }
    let claimed: Vec<(usize, usize, usize)> = user_targets
        .iter()
        .flat_map(|t: &Target| t.mentions.iter().map(|m| (m.sentence, m.start, m.end)))
        .collect();

    // Rank groups by mention count and first mention before building any target: a long text
    // has tens of thousands of names and only `max_targets` are kept.
    let mut ranked: Vec<Ranked> = groups
        .into_iter()
        .filter_map(|(root, mut occ)| {
            occ.retain(|o| {
                let sid = lines[o.line].sentence;
                !claimed
                    .iter()
                    .any(|&(s, a, b)| s == sid && a < o.end && o.start < b)
            });
            let spans = mention_spans(&occ, lines);
            let in_heading = occ.iter().any(|o| lines[o.line].heading);
            let first = spans.first().map(|&(s, a, _, _)| (s, a))?;
            (spans.len() >= opts.min_mentions || in_heading).then_some((
                spans.len(),
                first,
                root,
                occ,
            ))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // Keep the first `max_targets` and any tied with the last of them (the name breaks ties).
    match ranked
        .get(opts.max_targets.wrapping_sub(1))
        .map(|r| (r.0, r.1))
    {
        Some((n, f)) => ranked.retain(|r| r.0 > n || (r.0 == n && r.1 <= f)),
        None if opts.max_targets == 0 => ranked.clear(),
        None => {}
    }
    let mut auto: Vec<Target> = ranked
        .into_iter()
        .map(|(_, _, root, occ)| {
            build(
                &nodes.nodes[root],
                &occ,
                lines,
                gaz,
                link_by_root.get(&root),
            )
        })
        .collect();
    auto.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then(first(a).cmp(&first(b)))
            .then(a.name.cmp(&b.name))
    });
    auto.truncate(opts.max_targets);
    user_targets.into_iter().chain(auto).collect()
}

fn first(t: &Target) -> (usize, usize) {
    t.mentions
        .first()
        .map_or((usize::MAX, 0), |m| (m.sentence, m.start))
}

/// "Kurilla" (alone, or after a title) is "Michael Kurilla" when exactly one full name in the
/// text ends in it.
fn fold_short_forms(nodes: &mut Nodes, occs: &[Occ]) {
    let mut info: BTreeMap<String, (usize, NameInfo)> = BTreeMap::new();
    for o in occs {
        if let Some(n) = &o.name {
            let e = info.entry(n.key.clone()).or_insert((o.node, n.clone()));
            e.1.titled |= n.titled;
            e.1.organisation |= n.organisation;
            e.1.initial_only &= n.initial_only;
        }
    }
    // Full names by their last word (a map: a long text has thousands of names).
    let mut full: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (node, n)) in &info {
        if (2..=4).contains(&n.tokens)
            && !n.organisation
            && !n.acronym
            && !k.contains('.')
            && let Some(last) = k.rsplit(' ').next()
        {
            full.entry(last).or_default().push(*node);
        }
    }
    for (key, (node, n)) in &info {
        if n.tokens != 1 || n.acronym || n.organisation {
            continue;
        }
        let mut roots: Vec<usize> = full
            .get(key.as_str())
            .into_iter()
            .flatten()
            .map(|full_node| nodes.find(*full_node))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        if let [root] = roots[..] {
            nodes.union(root, *node);
        }
    }
}

/// A group before its target is built: mention count, first mention (sentence, start), root
/// node, occurrences.
type Ranked = (usize, (usize, usize), usize, Vec<Occ>);

/// A group's mentions as (sentence, start, end, line), in text order, overlapping ones merged
/// into the first.
fn mention_spans(occ: &[Occ], lines: &[Line<'_>]) -> Vec<(usize, usize, usize, usize)> {
    let mut spans: Vec<(usize, usize, usize, usize)> = occ
        .iter()
        .map(|o| (lines[o.line].sentence, o.start, o.end, o.line))
        .collect();
    spans.sort_unstable();
    spans.dedup_by(|b, a| a.0 == b.0 && a.1 < b.2 && b.1 < a.2);
    spans
}

/// A target from a group of occurrences.
fn build(
    root: &Node,
    occ: &[Occ],
    lines: &[Line<'_>],
    gaz: &Gazetteer,
    linked: Option<&Vec<String>>,
) -> Target {
    let mentions: Vec<Mention> = mention_spans(occ, lines)
        .into_iter()
        .map(|(sentence, start, end, line)| Mention {
            sentence,
            start,
            end,
            text: lines[line].text[start..end].to_string(),
        })
        .collect();

    let infos: Vec<&NameInfo> = occ.iter().filter_map(|o| o.name.as_ref()).collect();
    let person_full = infos.iter().any(|n| n.tokens >= 2 && !n.organisation)
        && infos.iter().any(|n| n.tokens == 1 && !n.acronym);
    let kind = match root {
        Node::Place(p) => match gaz.places[*p].kind {
            PlaceKind::State => TargetKind::State,
            PlaceKind::Bloc => TargetKind::Bloc,
        },
        _ if infos.iter().any(|n| n.titled) || person_full => TargetKind::Person,
        _ if infos.iter().any(|n| n.acronym || n.organisation) => TargetKind::Organisation,
        _ => TargetKind::Name,
    };

    // Surface forms with counts, in order of first appearance.
    let mut forms: Vec<(String, usize, usize)> = Vec::new(); // (text, count, words)
    for m in &mentions {
        match forms.iter_mut().find(|f| f.0 == m.text) {
            Some(f) => f.1 += 1,
            None => forms.push((m.text.clone(), 1, m.text.split_whitespace().count())),
        }
    }
    let name = match (root, kind) {
        (Node::Place(p), _) => gaz.places[*p].name.clone(),
        // A person is named in full: the longest form, the most used among those.
        (_, TargetKind::Person) => forms
            .iter()
            .max_by(|a, b| a.2.cmp(&b.2).then(a.1.cmp(&b.1)).then(b.0.cmp(&a.0)))
            .map(|f| f.0.clone())
            .unwrap_or_default(),
        // Anything else by its most used form; ties go to the shorter (an acronym the text
        // defines in order to use it), then the first.
        _ => forms
            .iter()
            .enumerate()
            .max_by(|(ia, a), (ib, b)| {
                a.1.cmp(&b.1)
                    .then(b.0.len().cmp(&a.0.len()))
                    .then(ib.cmp(ia))
            })
            .map(|(_, f)| f.0.clone())
            .unwrap_or_default(),
    };
    let mut aliases: Vec<String> = Vec::new();
    for f in forms
        .iter()
        .map(|f| &f.0)
        .chain(linked.into_iter().flatten())
    {
        if *f != name && !aliases.contains(f) {
            aliases.push(f.clone());
        }
    }
    Target {
        name,
        kind,
        aliases,
        user: false,
        mentions,
    }
}

/// A `--target` spec. Without aliases it adds to (or names) the detected group that its name
/// matches; with aliases it overrides: exactly its name and aliases mean the target, and the
/// groups they match give up those words.
fn user_target(
    spec: &TargetSpec,
    lines: &[Line<'_>],
    gaz: &Gazetteer,
    nodes: &Nodes,
    groups: &mut BTreeMap<usize, Vec<Occ>>,
    linked: &BTreeMap<usize, Vec<String>>,
) -> Target {
    let forms: Vec<&str> = std::iter::once(spec.name.as_str())
        .chain(spec.aliases.iter().map(String::as_str))
        .collect();
    let keys: BTreeSet<String> = forms.iter().map(|f| key_of(f)).collect();
    let places: BTreeSet<usize> = forms
        .iter()
        .filter_map(|f| gaz.lookup(f).map(|(p, _)| p))
        .collect();
    let matches = |root: usize, occ: &[Occ]| -> bool {
        match &nodes.nodes[root] {
            Node::Place(p) if places.contains(p) => return true,
            Node::Name(k) if keys.contains(k) => return true,
            _ => {}
        }
        occ.iter()
            .any(|o| keys.contains(&key_of(&lines[o.line].text[o.start..o.end])))
            || linked
                .get(&root)
                .is_some_and(|l| l.iter().any(|s| keys.contains(&key_of(s))))
    };
    let matched: Vec<usize> = groups
        .iter()
        .filter(|(root, occ)| matches(**root, occ))
        .map(|(root, _)| *root)
        .collect();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut seen_forms: Vec<String> = Vec::new();
    let mut kind = TargetKind::Name;
    for (i, root) in matched.iter().enumerate() {
        let occ = groups.remove(root).unwrap_or_default();
        if i == 0 && !occ.is_empty() {
            kind = build(&nodes.nodes[*root], &occ, lines, gaz, None).kind;
        }
        if spec.aliases.is_empty() {
            for o in occ {
                let text = lines[o.line].text[o.start..o.end].to_string();
                seen_forms.push(text.clone());
                mentions.push(Mention {
                    sentence: lines[o.line].sentence,
                    start: o.start,
                    end: o.end,
                    text,
                });
            }
        }
    }
    for line in lines {
        for form in &forms {
            for (s, e) in find_word(line.text, form) {
                mentions.push(Mention {
                    sentence: line.sentence,
                    start: s,
                    end: e,
                    text: form.to_string(),
                });
            }
        }
    }
    mentions.sort_by(|a, b| {
        (a.sentence, a.start)
            .cmp(&(b.sentence, b.start))
            .then(b.end.cmp(&a.end))
    });
    mentions.dedup_by(|a, b| a.sentence == b.sentence && a.start < b.end && b.start < a.end);
    let mut aliases: Vec<String> = spec.aliases.clone();
    for f in seen_forms {
        if f != spec.name && !aliases.contains(&f) {
            aliases.push(f);
        }
    }
    Target {
        name: spec.name.clone(),
        kind,
        aliases,
        user: true,
        mentions,
    }
}
