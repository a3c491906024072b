//! Reference vocabularies (../shared/PRODUCT.md §2): help categories, modes of help and languages,
//! with their stable slugs and the French labels people see. Sets of categories and of modes are
//! stored as bit masks, so that matching can filter them in SQL (`categories & mask <> 0`).

use std::fmt;

/// What a person needs help with, or what a volunteer offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Appareil,
    Internet,
    Email,
    Proches,
    Demarches,
    Sante,
    Emploi,
    Argent,
    Securite,
    Scolarite,
    Documents,
}

impl Category {
    /// Every category, in the order forms show them.
    pub const ALL: [Category; 11] = [
        Self::Appareil,
        Self::Internet,
        Self::Email,
        Self::Proches,
        Self::Demarches,
        Self::Sante,
        Self::Emploi,
        Self::Argent,
        Self::Securite,
        Self::Scolarite,
        Self::Documents,
    ];

    /// The stable identifier (form values, API, storage).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Appareil => "appareil",
            Self::Internet => "internet",
            Self::Email => "email",
            Self::Proches => "proches",
            Self::Demarches => "demarches",
            Self::Sante => "sante",
            Self::Emploi => "emploi",
            Self::Argent => "argent",
            Self::Securite => "securite",
            Self::Scolarite => "scolarite",
            Self::Documents => "documents",
        }
    }

    /// The French label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Appareil => "Prendre en main un ordinateur, une tablette ou un smartphone",
            Self::Internet => "Naviguer sur internet, installer une application",
            Self::Email => "Utiliser une messagerie électronique (e-mail, pièces jointes)",
            Self::Proches => "Garder le contact avec mes proches (appels vidéo, messageries)",
            Self::Demarches => {
                "Faire une démarche administrative en ligne (CAF, impôts, ANTS, retraite…)"
            }
            Self::Sante => "Santé en ligne (Ameli, Mon espace santé, Doctolib, téléconsultation)",
            Self::Emploi => "Emploi et formation (France Travail, CV, candidatures)",
            Self::Argent => "Banque et achats en ligne",
            Self::Securite => "Sécurité : mots de passe, arnaques, virus",
            Self::Scolarite => "Suivre la scolarité de mes enfants (ENT, Pronote)",
            Self::Documents => "Imprimer, scanner, envoyer un document",
        }
    }

    /// Everyday examples, shown under the label on the citizen's form.
    pub fn examples(self) -> &'static str {
        match self {
            Self::Appareil => {
                "Allumer la tablette, régler la taille du texte, comprendre les boutons"
            }
            Self::Internet => "Trouver un site, installer WhatsApp, mettre à jour une application",
            Self::Email => "Lire et envoyer un e-mail, ouvrir une photo reçue, joindre un document",
            Self::Proches => "Appeler ses petits-enfants en vidéo, partager des photos",
            Self::Demarches => {
                "Déclarer ses revenus, faire une demande à la CAF, refaire sa carte d'identité"
            }
            Self::Sante => "Télécharger une attestation Ameli, prendre rendez-vous chez le médecin",
            Self::Emploi => "S'inscrire à France Travail, écrire un CV, répondre à une offre",
            Self::Argent => "Consulter son compte, payer en ligne sans risque",
            Self::Securite => "Reconnaître un e-mail frauduleux, choisir un mot de passe",
            Self::Scolarite => "Se connecter à Pronote, lire les messages de l'école",
            Self::Documents => "Scanner un justificatif, imprimer un billet, envoyer un PDF",
        }
    }

    /// The need in a few words, about the person (a proposal e-mail's subject: « Josette, Paris
    /// 14e (5 km) : appels vidéo avec ses proches — pouvez-vous aider ? »).
    pub fn need(self) -> &'static str {
        match self {
            Self::Appareil => "prendre en main son appareil",
            Self::Internet => "internet et applications",
            Self::Email => "ses e-mails",
            Self::Proches => "appels vidéo avec ses proches",
            Self::Demarches => "une démarche en ligne",
            Self::Sante => "santé en ligne",
            Self::Emploi => "emploi et formation",
            Self::Argent => "banque et achats en ligne",
            Self::Securite => "mots de passe et arnaques",
            Self::Scolarite => "la scolarité de ses enfants",
            Self::Documents => "imprimer ou scanner un document",
        }
    }

    /// The category with this slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    fn bit(self) -> i32 {
        1 << (self as i32)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How help is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HelpMode {
    Telephone,
    Visio,
    Presentiel,
}

impl HelpMode {
    /// Every mode, in the order forms show them.
    pub const ALL: [HelpMode; 3] = [Self::Telephone, Self::Visio, Self::Presentiel];

    /// The stable identifier.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Telephone => "telephone",
            Self::Visio => "visio",
            Self::Presentiel => "presentiel",
        }
    }

    /// The French label, completing "Comment : …" / "Aider…".
    pub fn label(self) -> &'static str {
        match self {
            Self::Telephone => "par téléphone",
            Self::Visio => "en appel vidéo",
            Self::Presentiel => "en personne",
        }
    }

    /// The mode with this slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.slug() == slug)
    }

    fn bit(self) -> i32 {
        1 << (self as i32)
    }
}

/// Languages other than French (implied) that people may ask for or speak: ISO 639-1 codes and
/// `lsf` (langue des signes française).
pub const LANGUAGES: [(&str, &str); 10] = [
    ("en", "anglais"),
    ("ar", "arabe"),
    ("es", "espagnol"),
    ("pt", "portugais"),
    ("tr", "turc"),
    ("ro", "roumain"),
    ("ru", "russe"),
    ("uk", "ukrainien"),
    ("zh", "chinois"),
    ("lsf", "langue des signes française (LSF)"),
];

/// The French name of a language code, if it is one we know.
pub fn language_label(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// Who the person asking is to the relative they ask for (`help_request.lien_proche`), in their
/// own words: the form offers each tie in its feminine and masculine form, so that e-mails never
/// guess a gender (« Demande faite par sa fille Sandrine »).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kin {
    slug: &'static str,
    /// As the form offers it (« Sa fille »).
    choice: &'static str,
    /// As a sentence says it (« sa fille »).
    phrase: &'static str,
}

impl Kin {
    /// Every tie the form offers, in its order.
    pub const ALL: [Kin; 13] = [
        Kin::new("fille", "Sa fille", "sa fille"),
        Kin::new("fils", "Son fils", "son fils"),
        Kin::new("petite_fille", "Sa petite-fille", "sa petite-fille"),
        Kin::new("petit_fils", "Son petit-fils", "son petit-fils"),
        Kin::new("soeur", "Sa sœur", "sa sœur"),
        Kin::new("frere", "Son frère", "son frère"),
        Kin::new("niece", "Sa nièce", "sa nièce"),
        Kin::new("neveu", "Son neveu", "son neveu"),
        Kin::new("voisine", "Sa voisine", "sa voisine"),
        Kin::new("voisin", "Son voisin", "son voisin"),
        Kin::new("amie", "Son amie", "son amie"),
        Kin::new("ami", "Son ami", "son ami"),
        Kin::new("autre", "Un autre lien", "un proche"),
    ];

    const fn new(slug: &'static str, choice: &'static str, phrase: &'static str) -> Self {
        Self {
            slug,
            choice,
            phrase,
        }
    }

    /// The tie stored as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug == slug)
    }

    /// The stored form.
    pub fn slug(self) -> &'static str {
        self.slug
    }

    /// As the form offers it.
    pub fn choice(self) -> &'static str {
        self.choice
    }

    /// As a sentence says it, after « Demande faite par ».
    pub fn phrase(self) -> &'static str {
        self.phrase
    }
}

macro_rules! bit_set {
    ($set:ident, $item:ident) => {
        /// A set, stored as a bit mask.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $set(i32);

        impl $set {
            /// The set stored as `bits` (unknown bits are dropped).
            pub fn from_bits(bits: i32) -> Self {
                Self(bits & $item::ALL.iter().fold(0, |m, i| m | i.bit()))
            }

            /// The stored form.
            pub fn bits(self) -> i32 {
                self.0
            }

            /// Whether `item` is in the set.
            pub fn contains(self, item: $item) -> bool {
                self.0 & item.bit() != 0
            }

            /// Adds `item`.
            pub fn insert(&mut self, item: $item) {
                self.0 |= item.bit();
            }

            /// The members, in the reference order.
            pub fn items(self) -> Vec<$item> {
                $item::ALL
                    .into_iter()
                    .filter(|i| self.contains(*i))
                    .collect()
            }

            /// How many members.
            pub fn len(self) -> usize {
                self.0.count_ones() as usize
            }

            /// Whether the set is empty.
            pub fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Whether both sets share a member.
            pub fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// The French labels of the members, in order.
            pub fn labels(self) -> Vec<&'static str> {
                self.items().into_iter().map(|item| item.label()).collect()
            }

            /// The slugs of the members.
            pub fn slugs(self) -> Vec<&'static str> {
                self.items().into_iter().map($item::slug).collect()
            }

            /// Parses form values: `Err` names the first unknown slug.
            pub fn from_slugs<S: AsRef<str>>(slugs: &[S]) -> Result<Self, String> {
                let mut set = Self::default();
                for slug in slugs {
                    let slug = slug.as_ref();
                    set.insert($item::from_slug(slug).ok_or_else(|| slug.to_owned())?);
                }
                Ok(set)
            }
        }

        impl FromIterator<$item> for $set {
            fn from_iter<I: IntoIterator<Item = $item>>(iter: I) -> Self {
                let mut set = Self::default();
                for item in iter {
                    set.insert(item);
                }
                set
            }
        }
    };
}

bit_set!(CategorySet, Category);
bit_set!(ModeSet, HelpMode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_sets_store_as_bits() {
        for c in Category::ALL {
            assert_eq!(Category::from_slug(c.slug()), Some(c));
        }
        let set = CategorySet::from_slugs(&["sante", "appareil"]).unwrap();
        assert_eq!(set.slugs(), vec!["appareil", "sante"]);
        assert_eq!(CategorySet::from_bits(set.bits()), set);
        assert_eq!(
            CategorySet::from_slugs(&["astrologie"]),
            Err("astrologie".to_owned())
        );
        let modes = ModeSet::from_slugs(&["visio"]).unwrap();
        assert!(modes.intersects(ModeSet::from_slugs(&["visio", "telephone"]).unwrap()));
        assert!(!modes.intersects(ModeSet::from_slugs(&["presentiel"]).unwrap()));
        assert_eq!(
            language_label("lsf"),
            Some("langue des signes française (LSF)")
        );
    }
}
