//! A machine name with its Persian and English labels, as every answer spells it:
//! `{"state": "at_office:library", "state_fa": "…", "state_en": "…"}` — one generic type for the
//! state, action and role triples, its key names given by a marker ([`StateKey`], …), its labels
//! taken from `rules::workflow::labels` so that they are written in one place.

use std::fmt;
use std::marker::PhantomData;

use rules::requests::ClearanceOffice;
use rules::workflow::{self, Action, Label, Role, State};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// The key names of one kind of labelled value.
pub trait LabelKey {
    /// The machine name's key (`state`); the labels are `<ID>_fa` and `<ID>_en`.
    const ID: &'static str;
    const FA: &'static str;
    const EN: &'static str;
    /// The schema's name in the OpenAPI document.
    const SCHEMA: &'static str;
}

macro_rules! label_key {
    ($(#[$doc:meta])* $key:ident, $id:literal, $schema:literal, nullable = $nullable:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
        pub struct $key;

        impl LabelKey for $key {
            const ID: &'static str = $id;
            const FA: &'static str = concat!($id, "_fa");
            const EN: &'static str = concat!($id, "_en");
            const SCHEMA: &'static str = $schema;
        }

        /// The schema of the labelled value (fields use it with `value_type = <key>, inline`).
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $key {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                schema::labelled::<$key>($nullable)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $key {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($schema)
            }
        }
    };
}

label_key!(
    /// `state`, `state_fa`, `state_en`.
    StateKey,
    "state",
    "LabelledState",
    nullable = false
);
label_key!(
    /// `action`, `action_fa`, `action_en`.
    ActionKey,
    "action",
    "LabelledAction",
    nullable = false
);
label_key!(
    /// `role`, `role_fa`, `role_en`.
    RoleKey,
    "role",
    "LabelledRole",
    nullable = false
);
label_key!(
    /// `to`, `to_fa`, `to_en` (the state a timeline row moved to; labels may be null).
    ToKey,
    "to",
    "LabelledTo",
    nullable = true
);
label_key!(
    /// `actor_role`, `actor_role_fa`, `actor_role_en` (who made an audit row; labels may be null).
    ActorRoleKey,
    "actor_role",
    "LabelledActorRole",
    nullable = true
);

/// A machine name and its two labels under the keys of `K`; `T` is `String`, or
/// `Option<String>` where the server may not know a label (an old row naming a removed office).
/// Embedded in an answer with `#[serde(flatten)]`.
pub struct Labelled<K, T = String> {
    pub id: String,
    pub fa: T,
    pub en: T,
    key: PhantomData<K>,
}

/// A workflow state with its labels.
pub type LabelledState = Labelled<StateKey>;
/// A workflow action with its labels.
pub type LabelledAction = Labelled<ActionKey>;
/// A role with its labels.
pub type LabelledRole = Labelled<RoleKey>;

impl<K, T> Labelled<K, T> {
    pub fn new(id: impl Into<String>, fa: T, en: T) -> Self {
        Labelled {
            id: id.into(),
            fa,
            en,
            key: PhantomData,
        }
    }
}

impl<K> Labelled<K> {
    /// A machine name with a label of `rules::workflow::labels`.
    pub fn from_label(id: impl Into<String>, label: Label) -> Self {
        Labelled::new(id, label.fa, label.en)
    }
}

impl Labelled<StateKey> {
    pub fn state(state: &State, offices: &[ClearanceOffice]) -> Self {
        Labelled::from_label(state.id(), workflow::state_label(state, offices))
    }
}

impl Labelled<ActionKey> {
    pub fn action(action: Action) -> Self {
        Labelled::from_label(action.id(), workflow::action_label(action))
    }

    /// `pay`: the applicant's step of paying the fee, offered beside the machines' actions.
    pub fn pay() -> Self {
        Labelled::from_label("pay", workflow::pay_label())
    }
}

impl Labelled<RoleKey> {
    pub fn role(role: &Role, offices: &[ClearanceOffice]) -> Self {
        Labelled::from_label(role.id(), workflow::role_label(role, offices))
    }
}

impl<K, T: Clone> Clone for Labelled<K, T> {
    fn clone(&self) -> Self {
        Labelled::new(self.id.clone(), self.fa.clone(), self.en.clone())
    }
}

impl<K, T: PartialEq> PartialEq for Labelled<K, T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.fa == other.fa && self.en == other.en
    }
}

impl<K, T: Eq> Eq for Labelled<K, T> {}

impl<K: LabelKey, T: fmt::Debug> fmt::Debug for Labelled<K, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(K::SCHEMA)
            .field(K::ID, &self.id)
            .field(K::FA, &self.fa)
            .field(K::EN, &self.en)
            .finish()
    }
}

impl<K, T: Default> Default for Labelled<K, T> {
    fn default() -> Self {
        Labelled::new(String::new(), T::default(), T::default())
    }
}

impl<K: LabelKey, T: Serialize> Serialize for Labelled<K, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry(K::ID, &self.id)?;
        map.serialize_entry(K::FA, &self.fa)?;
        map.serialize_entry(K::EN, &self.en)?;
        map.end()
    }
}

impl<'de, K: LabelKey, T: Deserialize<'de> + Default> Deserialize<'de> for Labelled<K, T> {
    /// The machine name is required; a missing label reads as empty (or `None`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<K, T>(PhantomData<(K, T)>);
        impl<'de, K: LabelKey, T: Deserialize<'de> + Default> Visitor<'de> for V<K, T> {
            type Value = Labelled<K, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an object with {}, {} and {}", K::ID, K::FA, K::EN)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut id, mut fa, mut en) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    if key == K::ID {
                        id = Some(map.next_value::<String>()?);
                    } else if key == K::FA {
                        fa = Some(map.next_value::<T>()?);
                    } else if key == K::EN {
                        en = Some(map.next_value::<T>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                let id = id.ok_or_else(|| de::Error::missing_field(K::ID))?;
                Ok(Labelled::new(
                    id,
                    fa.unwrap_or_default(),
                    en.unwrap_or_default(),
                ))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    use super::LabelKey;

    /// `{<id>: string, <id>_fa: string, <id>_en: string}`, the labels null-able or not.
    pub fn labelled<K: LabelKey>(nullable: bool) -> RefOr<Schema> {
        let label = || {
            let text = ObjectBuilder::new();
            if nullable {
                text.schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                    Type::String,
                    Type::Null,
                ]))
            } else {
                text.schema_type(Type::String)
            }
        };
        ObjectBuilder::new()
            .property(
                K::ID,
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("The machine name.")),
            )
            .property(K::FA, label().description(Some("Its Persian label.")))
            .property(K::EN, label().description(Some("Its English label.")))
            .required(K::ID)
            .required(K::FA)
            .required(K::EN)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Row {
        n: u32,
        #[serde(flatten)]
        state: LabelledState,
        #[serde(flatten)]
        to: Labelled<ToKey, Option<String>>,
    }

    #[test]
    fn flattens_into_the_three_keys_and_back() {
        let row = Row {
            n: 1,
            state: Labelled::state(&State::Registered, &[]),
            to: Labelled::new("x", None, Some("X".into())),
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["state"], "registered");
        assert!(json["state_fa"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(json["to_fa"], serde_json::Value::Null);
        assert_eq!(json["to_en"], "X");
        assert_eq!(serde_json::from_value::<Row>(json).unwrap(), row);
    }
}
