//! Reading the reference file (`data/README.md` describes its columns) into the indexes.

use std::collections::BTreeMap;
use std::io::Read;

use anyhow::{Context, bail};
use flate2::read::GzDecoder;

use super::normalize::normalize;
use super::{
    Alias, Commune, CommuneKind, Communes, DepartementCode, InseeCode, NameEntry, Point, Postcode,
};

/// The columns of the file, in order.
const COLUMNS: [&str; 9] = [
    "insee",
    "nom",
    "kind",
    "departement",
    "postcodes",
    "population",
    "lat",
    "lon",
    "parent",
];

/// One line of the file, borrowed from the reader's buffer.
struct Row<'a> {
    insee: &'a str,
    nom: &'a str,
    kind: &'a str,
    departement: &'a str,
    postcodes: &'a str,
    population: &'a str,
    lat: &'a str,
    lon: &'a str,
    parent: &'a str,
}

impl<'a> Row<'a> {
    fn read(record: &'a csv::StringRecord) -> anyhow::Result<Self> {
        let field = |at: usize| record.get(at).context("missing column");
        Ok(Self {
            insee: field(0)?,
            nom: field(1)?,
            kind: field(2)?,
            departement: field(3)?,
            postcodes: field(4)?,
            population: field(5)?,
            lat: field(6)?,
            lon: field(7)?,
            parent: field(8)?,
        })
    }
}

/// Builds the reference from the gzipped CSV file.
pub(super) fn from_csv_gz(gzipped: &[u8]) -> anyhow::Result<Communes> {
    let mut text = String::with_capacity(gzipped.len() * 4);
    GzDecoder::new(gzipped)
        .read_to_string(&mut text)
        .context("the communes file is not valid gzipped UTF-8")?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    if reader.headers()?.iter().ne(COLUMNS) {
        bail!("the communes file does not have the expected columns {COLUMNS:?}");
    }

    let mut communes = Vec::with_capacity(35_000);
    let mut former = Vec::with_capacity(2_500);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        let context = || format!("communes file, line {line}");
        let row = Row::read(&record).with_context(context)?;
        if row.kind == "alias" {
            InseeCode::parse(row.insee).with_context(context)?;
            let parent = InseeCode::parse(row.parent).with_context(context)?;
            former.push((row.nom.to_owned(), parent));
        } else {
            communes.push(parse_commune(&row).with_context(context)?);
        }
    }
    index(communes, former)
}

fn parse_commune(row: &Row) -> anyhow::Result<Commune> {
    let insee = InseeCode::parse(row.insee)?;
    let kind = match row.kind {
        "commune" => CommuneKind::Commune,
        "arrondissement" => CommuneKind::Arrondissement,
        "ville_arrondissements" => CommuneKind::City,
        other => bail!("unknown kind {other:?}"),
    };
    let postcodes = row
        .postcodes
        .split(' ')
        .map(Postcode::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let city = match kind {
        CommuneKind::Arrondissement => Some(InseeCode::parse(row.parent)?),
        _ => None,
    };
    Ok(Commune {
        insee,
        nom: row.nom.to_owned(),
        kind,
        departement: DepartementCode::parse(row.departement)?,
        postcodes,
        population: row.population.parse().context("population")?,
        point: Point::new(
            row.lat.parse().context("lat")?,
            row.lon.parse().context("lon")?,
        ),
        city,
        key: normalize(row.nom).into(),
        aliases: Vec::new(),
    })
}

fn index(mut communes: Vec<Commune>, former: Vec<(String, InseeCode)>) -> anyhow::Result<Communes> {
    communes.sort_unstable_by_key(|commune| commune.insee);
    if let Some(twice) = communes
        .windows(2)
        .find(|pair| pair[0].insee == pair[1].insee)
    {
        bail!("INSEE code {} is listed twice", twice[0].insee);
    }
    let position = |insee: InseeCode| {
        communes
            .binary_search_by_key(&insee, |commune| commune.insee)
            .ok()
            .map(|at| (at, communes[at].kind))
    };
    for commune in &communes {
        if let Some(city) = commune.city
            && position(city).map(|(_, kind)| kind) != Some(CommuneKind::City)
        {
            bail!(
                "arrondissement {} belongs to an unknown city {city}",
                commune.insee
            );
        }
    }
    let parents = former
        .iter()
        .map(|(nom, parent)| match position(*parent) {
            Some((at, _)) => Ok(u32::try_from(at)?),
            None => bail!("former commune {nom} belongs to an unknown commune {parent}"),
        })
        .collect::<anyhow::Result<Vec<u32>>>()?;

    let mut aliases = Vec::with_capacity(former.len());
    for ((nom, _), commune) in former.into_iter().zip(parents) {
        communes[commune as usize]
            .aliases
            .push(u32::try_from(aliases.len())?);
        let key = normalize(&nom).into();
        aliases.push(Alias { nom, key, commune });
    }

    let mut by_postcode: BTreeMap<Postcode, Vec<u32>> = BTreeMap::new();
    for (at, commune) in communes.iter().enumerate() {
        if commune.kind != CommuneKind::City {
            for postcode in &commune.postcodes {
                by_postcode
                    .entry(*postcode)
                    .or_default()
                    .push(u32::try_from(at)?);
            }
        }
    }
    for list in by_postcode.values_mut() {
        list.sort_unstable_by(|&a, &b| {
            super::index::by_population(&communes[a as usize], &communes[b as usize])
        });
    }

    let mut names = Vec::with_capacity(communes.len() + aliases.len());
    for (at, commune) in communes.iter().enumerate() {
        names.push(NameEntry {
            key: commune.key.clone(),
            commune: u32::try_from(at)?,
            alias: None,
        });
    }
    for (at, alias) in aliases.iter().enumerate() {
        names.push(NameEntry {
            key: alias.key.clone(),
            commune: alias.commune,
            alias: Some(u32::try_from(at)?),
        });
    }
    names.sort_unstable_by(|a, b| (&a.key, a.commune, a.alias).cmp(&(&b.key, b.commune, b.alias)));

    Ok(Communes {
        communes,
        aliases,
        by_postcode,
        names,
    })
}
