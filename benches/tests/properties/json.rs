//! Strategies: arbitrary JSON trees whose keys come from a channel's fixtures (so they hit the
//! parser's fields), and mutations of the real fixtures (fields dropped, values of the wrong type).

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Number, Value};

/// Every object key that appears in these fixtures, sorted and deduplicated.
pub fn keys_of(fixtures: &[(String, Vec<u8>)]) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    out.push(key.clone());
                    walk(value, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    for (_, body) in fixtures {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            walk(&value, &mut keys);
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Numbers where parsers go wrong: bounds, signs, fractions, huge floats.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(vec![
            0.0,
            -0.5,
            1.5,
            1e300,
            -1e300,
            9.007_199_254_740_993e15
        ])
        .prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![0_i64, -1, 1, i64::MIN, i64::MAX]).prop_map(Value::from),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "(.|\n){0,12}",
        "[0-9]{1,20}",
        prop::sample::select(vec![
            "",
            " ",
            "/start",
            "/help@demo_bot x",
            "\u{FFFC}",
            "1795525200.000100"
        ])
        .prop_map(str::to_owned),
    ]
}

/// A leaf of any JSON type.
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ]
}

/// A tree up to a few levels deep whose keys are mostly `keys`.
pub fn tree(keys: Vec<String>) -> impl Strategy<Value = Value> {
    let key = prop_oneof![4 => prop::sample::select(keys), 1 => string()];
    leaf().prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// One change to a JSON document, at a node chosen by `at`.
#[derive(Debug, Clone)]
pub enum Mutation {
    Drop(Index),
    Replace(Index, Value),
}

pub fn mutations(keys: Vec<String>) -> impl Strategy<Value = Vec<Mutation>> {
    let mutation = prop_oneof![
        any::<Index>().prop_map(Mutation::Drop),
        (any::<Index>(), leaf()).prop_map(|(at, value)| Mutation::Replace(at, value)),
        (any::<Index>(), tree(keys)).prop_map(|(at, value)| Mutation::Replace(at, value)),
    ];
    prop::collection::vec(mutation, 1..5)
}

/// JSON pointers to every node below the root.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (escape(k), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (name, child) in children {
        let pointer = format!("{at}/{name}");
        out.push(pointer.clone());
        pointers(child, &pointer, out);
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Applies the mutations in order; each picks among the nodes the document has by then.
pub fn mutate(mut document: Value, mutations: &[Mutation]) -> Value {
    for mutation in mutations {
        let mut all = Vec::new();
        pointers(&document, "", &mut all);
        if all.is_empty() {
            break;
        }
        match mutation {
            Mutation::Drop(at) => {
                let pointer = at.get(&all);
                let (parent, name) = pointer.rsplit_once('/').unwrap_or(("", pointer));
                match document.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&name.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = name.parse::<usize>() {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
            Mutation::Replace(at, value) => {
                if let Some(slot) = document.pointer_mut(at.get::<String>(&all)) {
                    *slot = value.clone();
                }
            }
        }
    }
    document
}

/// Request bodies for a channel: its fixtures mutated, arbitrary trees over its keys, and bytes.
pub fn bodies(channel: &str) -> impl Strategy<Value = Vec<u8>> + use<> {
    let fixtures = receivers_benches::fixtures(channel);
    let keys = keys_of(&fixtures);
    let documents: Vec<Value> = fixtures
        .iter()
        .filter_map(|(_, body)| serde_json::from_slice(body).ok())
        .collect();
    let to_bytes = |value: Value| serde_json::to_vec(&value).unwrap_or_default();
    prop_oneof![
        4 => (prop::sample::select(documents), mutations(keys.clone()))
            .prop_map(move |(document, changes)| to_bytes(mutate(document, &changes))),
        2 => tree(keys).prop_map(to_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}
