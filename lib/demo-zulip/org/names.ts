// People's names from many cultures, in the script and order their owners would write them.
// Entries are "native=Latin" where the native script is not Latin (the Latin form is how the
// person would be addressed in a romanised context and what their email address is made from);
// Latin-script entries carry their accents and the email is made by folding those away.

export type Gender = 'f' | 'm' | 'x';

interface CultureData {
  female: string;
  male: string;
  /** "Masc/Fem" for languages whose surnames agree with gender (Kowalski/Kowalska). */
  family: string;
  /** western: given family; eastern: family+given without a space (山田太郎); vietnamese: family middle given. */
  order?: 'western' | 'eastern' | 'vietnamese';
  /** For non-Latin scripts: how often the person writes their name in that script at work. */
  nativeShare?: number;
  /** Share of people with both a paternal and a maternal surname (García López). */
  doubleSurname?: number;
  /** Share of people who go by a single name (common in Indonesia). */
  mononym?: number;
}

const CULTURES = {
  en: {
    female: 'Emily,Sarah,Jessica,Olivia,Charlotte,Hannah,Megan,Lauren,Amelia,Grace,Chloe,Madison,Abigail,Kate,Rachel,Zoë,Emma,Ashley,Rebecca,Naomi',
    male: 'James,Michael,David,Daniel,Matthew,Christopher,Andrew,Ryan,Liam,Noah,Ethan,Benjamin,Thomas,Oliver,Jack,Samuel,William,Joshua,Tyler,Nathan',
    family: 'Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Jackson,White,Harris,Clark,Lewis,Walker,Hall,Young,Robinson,Campbell,Mitchell,Cooper,Hughes,Bennett,Reed,Foster,Price,Sullivan',
  },
  ga: {
    female: 'Siobhán,Aoife,Niamh,Saoirse,Róisín,Caoimhe,Órla,Clodagh',
    male: 'Seán,Ciarán,Oisín,Pádraig,Cathal,Darragh,Eoin,Colm',
    family: "O'Sullivan,Murphy,Byrne,O'Brien,Kelly,Ó Briain/Ní Bhriain,Mac Giolla Phádraig/Nic Giolla Phádraig,Walsh,Doyle,Ó Domhnaill/Ní Dhomhnaill",
  },
  es: {
    female: 'María,Lucía,Sofía,Valentina,Camila,Isabel,Carmen,Paula,Elena,Ximena,Daniela,Andrea,Inés,Marta,Begoña,Guadalupe,Ana Belén,María José',
    male: 'José,Juan,Carlos,Javier,Alejandro,Miguel,Andrés,Diego,Sergio,Pablo,Raúl,Jesús,Álvaro,Iñigo,Mateo,Juan Pablo,Joaquín,Fernando',
    family: 'García,Fernández,González,Rodríguez,López,Martínez,Sánchez,Pérez,Gómez,Martín,Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Castillo,Ortega,Núñez,Vázquez,Ibáñez,Peña,Herrera,Cruz',
    doubleSurname: 0.3,
  },
  pt: {
    female: 'Ana,Beatriz,Mariana,Inês,Joana,Larissa,Fernanda,Juliana,Gabriela,Letícia,Conceição,Leonor,Raquel,Thaís,Luíza,Ana Clara,Vitória,Débora',
    male: 'João,Pedro,Tiago,Rafael,Gonçalo,Lucas,Gabriel,Thiago,Bruno,Rodrigo,Luís,André,Vinícius,Caio,Matheus,João Pedro,Henrique,Fábio',
    family: 'Silva,Santos,Souza,Oliveira,Pereira,Costa,Rodrigues,Almeida,Nascimento,Lima,Araújo,Fernandes,Carvalho,Gomes,Ribeiro,Martins,Rocha,Barbosa,Magalhães,Gonçalves,Brandão,Sá,Assunção,Figueiredo',
    doubleSurname: 0.15,
  },
  de: {
    female: 'Anna,Lena,Leonie,Marie,Katharina,Julia,Sophie,Jana,Lea,Hannah,Mia,Franziska,Sabine,Ute,Jülide,Greta',
    male: 'Lukas,Maximilian,Jonas,Felix,Paul,Leon,Tobias,Florian,Sebastian,Jürgen,Matthias,Stefan,Moritz,Jörg,Niklas,Björn',
    family: 'Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer,Koch,Bauer,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Krüger,Hartmann,Lange,Weiß,von Bülow',
  },
  fr: {
    female: 'Camille,Léa,Chloé,Manon,Inès,Juliette,Élodie,Amélie,Margaux,Céline,Clémence,Noémie,Anaïs,Hélène',
    male: 'Lucas,Hugo,Théo,Louis,Antoine,Mathis,Julien,Clément,Maxime,Étienne,François,Jérôme,Benoît,Gaël,Jean-Baptiste,Loïc',
    family: 'Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,Lefèvre,Michel,Garnier,Faure,Rousseau,Blanc,Guérin,Chevalier,Lemaître,Bégué',
  },
  it: {
    female: 'Giulia,Chiara,Francesca,Alessia,Martina,Federica,Elisa,Sara',
    male: 'Marco,Luca,Alessandro,Matteo,Niccolò,Giuseppe,Lorenzo,Andrea',
    family: "Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,De Luca,D'Angelo,Conti,Fontana",
  },
  nl: {
    female: 'Sanne,Femke,Lotte,Anouk,Ilse,Marieke,Eline,Roos',
    male: 'Daan,Sem,Bram,Joost,Pieter,Thijs,Ruud,Maarten',
    family: 'van den Berg,de Vries,van Dijk,Bakker,Janssen,Visser,Smit,de Boer,Mulder,van Leeuwen,de Jong,van der Meer',
  },
  nordic: {
    female: 'Björk,Sigríður,Ingrid,Astrid,Freja,Saga,Linnéa,Maja,Sofie,Åsa,Liv,Sølvi,Guðrún,Ebba',
    male: 'Björn,Lars,Erik,Magnus,Anders,Henrik,Søren,Mikael,Oskar,Jørgen,Gunnar,Einar,Þórður,Ólafur',
    family: 'Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsen,Hansen,Jensen,Nielsen,Pedersen,Lindqvist,Sigurðsson/Sigurðardóttir,Håkansson,Østergaard,Bergström,Lindgren,Jónsson/Jónsdóttir',
  },
  pl: {
    female: 'Agnieszka,Katarzyna,Małgorzata,Zofia,Joanna,Magdalena,Aleksandra,Ewa,Natalia,Weronika',
    male: 'Łukasz,Piotr,Krzysztof,Tomasz,Paweł,Michał,Jakub,Wojciech,Marcin,Grzegorz',
    family: 'Kowalski/Kowalska,Nowak,Wiśniewski/Wiśniewska,Wójcik,Kamiński/Kamińska,Lewandowski/Lewandowska,Zieliński/Zielińska,Woźniak,Dąbrowski/Dąbrowska,Szymański/Szymańska,Jankowski/Jankowska,Mazur,Krawczyk,Kaczmarek,Grabowski/Grabowska,Żak',
  },
  ua: {
    female: 'Olena,Oksana,Iryna,Yuliia,Kateryna,Nataliia,Sofiia,Daryna',
    male: 'Oleksandr,Andrii,Taras,Bohdan,Mykola,Serhii,Dmytro,Yaroslav',
    family: 'Shevchenko,Kovalenko,Bondarenko,Tkachenko,Kravchenko,Melnyk,Boiko,Oliinyk,Koval,Marchenko',
  },
  ru: {
    female: 'Анна=Anna,Мария=Maria,Екатерина=Ekaterina,Ольга=Olga,Наталья=Natalya,Татьяна=Tatyana,Ирина=Irina,Светлана=Svetlana,Дарья=Darya,Алина=Alina',
    male: 'Дмитрий=Dmitry,Алексей=Alexey,Сергей=Sergey,Андрей=Andrey,Иван=Ivan,Михаил=Mikhail,Николай=Nikolay,Павел=Pavel,Артём=Artyom,Владимир=Vladimir',
    family: 'Иванов/Иванова=Ivanov/Ivanova,Смирнов/Смирнова=Smirnov/Smirnova,Кузнецов/Кузнецова=Kuznetsov/Kuznetsova,Попов/Попова=Popov/Popova,Соколов/Соколова=Sokolov/Sokolova,Лебедев/Лебедева=Lebedev/Lebedeva,Козлов/Козлова=Kozlov/Kozlova,Новиков/Новикова=Novikov/Novikova,Морозов/Морозова=Morozov/Morozova,Волков/Волкова=Volkov/Volkova,Соловьёв/Соловьёва=Solovyov/Solovyova',
    nativeShare: 0.6,
  },
  el: {
    female: 'Ελένη=Eleni,Μαρία=Maria,Αικατερίνη=Aikaterini,Σοφία=Sofia,Δήμητρα=Dimitra,Γεωργία=Georgia',
    male: 'Γιώργος=Giorgos,Δημήτρης=Dimitris,Νίκος=Nikos,Κώστας=Kostas,Γιάννης=Giannis,Αλέξανδρος=Alexandros',
    family: 'Παπαδόπουλος/Παπαδοπούλου=Papadopoulos/Papadopoulou,Παπαδάκης/Παπαδάκη=Papadakis/Papadaki,Γεωργίου=Georgiou,Οικονόμου=Oikonomou,Νικολάου=Nikolaou,Βασιλείου=Vasileiou,Μακρής/Μακρή=Makris/Makri,Αντωνίου=Antoniou',
    nativeShare: 0.5,
  },
  tr: {
    female: 'Ayşe,Elif,Zeynep,Fatma,Büşra,Gülşen,Özlem,İrem',
    male: 'Mehmet,Mustafa,Emre,Burak,Çağrı,Oğuz,Serkan,Kerem',
    family: 'Yılmaz,Kaya,Demir,Şahin,Çelik,Yıldız,Öztürk,Aydın,Özdemir,Arslan,Doğan',
  },
  ar: {
    female: 'فاطمة=Fatima,مريم=Maryam,نور=Nour,ليلى=Layla,سارة=Sara,هدى=Huda,ياسمين=Yasmin,رنا=Rana',
    male: 'محمد=Mohammed,أحمد=Ahmed,علي=Ali,عمر=Omar,خالد=Khalid,يوسف=Youssef,حسن=Hassan,كريم=Karim,طارق=Tariq',
    family: 'الأحمد=Al-Ahmad,الحسن=Al-Hassan,المصري=El-Masry,حداد=Haddad,الخطيب=Al-Khatib,منصور=Mansour,العلي=Al-Ali,الشامي=Al-Shami,سليمان=Suleiman,عبد الله=Abdullah',
    nativeShare: 0.45,
  },
  he: {
    female: 'נועה=Noa,תמר=Tamar,מאיה=Maya,שירה=Shira,יעל=Yael',
    male: 'יונתן=Yonatan,איתי=Itai,דניאל=Daniel,עומר=Omer,אורי=Uri',
    family: 'כהן=Cohen,לוי=Levi,מזרחי=Mizrahi,פרץ=Peretz,ביטון=Biton,אברהם=Avraham,פרידמן=Friedman',
    nativeShare: 0.3,
  },
  hi: {
    female: 'अनन्या=Ananya,प्रिया=Priya,दीपिका=Deepika,कविता=Kavita,नेहा=Neha,पूजा=Pooja,श्रेया=Shreya,आरती=Aarti',
    male: 'राहुल=Rahul,अर्जुन=Arjun,विक्रम=Vikram,अमित=Amit,रोहन=Rohan,आदित्य=Aditya,संजय=Sanjay,करण=Karan',
    family: 'शर्मा=Sharma,वर्मा=Verma,गुप्ता=Gupta,सिंह=Singh,पटेल=Patel,जोशी=Joshi,मेहता=Mehta,अग्रवाल=Agarwal,मिश्रा=Mishra,कुमार=Kumar',
    nativeShare: 0.2,
  },
  in: {
    female: 'Divya,Lakshmi,Kavya,Sneha,Aishwarya,Meera,Ishita,Swathi,Nandini,Revathi',
    male: 'Siddharth,Karthik,Venkatesh,Pranav,Abhishek,Harish,Suresh,Arvind,Naveen,Ravi',
    family: 'Iyer,Reddy,Nair,Krishnan,Rao,Menon,Kulkarni,Desai,Chatterjee,Banerjee,Subramanian,Venkataraman,Bhattacharya,Pillai,Hegde',
  },
  zh: {
    female: '芳=Fang,娜=Na,敏=Min,静=Jing,秀英=Xiuying,雨桐=Yutong,欣怡=Xinyi,婷=Ting',
    male: '伟=Wei,强=Qiang,磊=Lei,军=Jun,浩然=Haoran,子轩=Zixuan,宇航=Yuhang,志明=Zhiming',
    family: '王=Wang,李=Li,张=Zhang,刘=Liu,陈=Chen,杨=Yang,黄=Huang,赵=Zhao,吴=Wu,周=Zhou,林=Lin,欧阳=Ouyang',
    order: 'eastern',
    nativeShare: 0.5,
  },
  ja: {
    female: '花子=Hanako,陽菜=Hina,美咲=Misaki,さくら=Sakura,結衣=Yui,愛=Ai,由美=Yumi,彩=Aya',
    male: '太郎=Taro,健太=Kenta,翔太=Shota,大輔=Daisuke,拓也=Takuya,直樹=Naoki,蓮=Ren,悠人=Yuto',
    family: '山田=Yamada,佐藤=Sato,鈴木=Suzuki,高橋=Takahashi,田中=Tanaka,伊藤=Ito,渡辺=Watanabe,中村=Nakamura,小林=Kobayashi,加藤=Kato,吉田=Yoshida,松本=Matsumoto',
    order: 'eastern',
    nativeShare: 0.7,
  },
  ko: {
    female: '서연=Seo-yeon,지우=Ji-woo,서윤=Seo-yoon,민지=Min-ji,하은=Ha-eun,수빈=Su-bin',
    male: '민준=Min-jun,서준=Seo-jun,도윤=Do-yoon,지훈=Ji-hoon,현우=Hyun-woo,준호=Jun-ho',
    family: '김=Kim,이=Lee,박=Park,최=Choi,정=Jung,강=Kang,조=Cho,윤=Yoon,장=Jang,임=Lim',
    order: 'eastern',
    nativeShare: 0.6,
  },
  vi: {
    female: 'Hương,Lan,Mai,Linh,Thảo,Hà,Ngọc,Trang,Phương,Yến',
    male: 'Hùng,Dũng,Tuấn,Nam,Long,Quang,Khoa,Phúc,Huy,Thắng',
    family: 'Nguyễn,Trần,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ',
    order: 'vietnamese',
  },
  th: {
    female: 'สุดารัตน์=Sudarat,พิมพ์ชนก=Phimchanok,กมลชนก=Kamonchanok,ปิยะนุช=Piyanut',
    male: 'สมชาย=Somchai,ธนากร=Thanakorn,วีระพงษ์=Weerapong,ณัฐวุฒิ=Nattawut',
    family: 'ศรีสวัสดิ์=Srisawat,วงศ์สวัสดิ์=Wongsawat,จันทร์เพ็ญ=Chanpen,รัตนพันธ์=Rattanaphan,สุขประเสริฐ=Sukprasert',
    nativeShare: 0.3,
  },
  id: {
    female: 'Putri,Dewi,Ayu,Sri,Ratna,Indah,Wulan',
    male: 'Budi,Agus,Wahyu,Adi,Eko,Rizky,Hendra',
    family: 'Santoso,Wijaya,Pratama,Saputra,Hidayat,Kusuma,Nugroho,Setiawan',
    mononym: 0.25,
  },
  ke: {
    female: 'Wanjiru,Achieng,Njeri,Zawadi,Nia,Wambui,Akinyi,Nyokabi',
    male: 'Kamau,Otieno,Mwangi,Kipchoge,Baraka,Omondi,Kiprono,Juma',
    family: 'Mwangi,Otieno,Kariuki,Odhiambo,Wanjiku,Kiprotich,Mutua,Njoroge,Ochieng,Kimani',
  },
  ng: {
    female: 'Amara,Chiamaka,Ngozi,Adaeze,Folake,Oluwaseun,Yetunde,Ifeoma',
    male: 'Chinedu,Babajide,Emeka,Tunde,Olumide,Obinna,Ikechukwu,Kofi',
    family: 'Okafor,Adeyemi,Okonkwo,Balogun,Mensah,Nwosu,Achebe,Adebayo,Eze,Ogunleye',
  },
} satisfies Record<string, CultureData>;

export type CultureKey = keyof typeof CULTURES;

/**
 * A handful of people whose names are long enough to test truncation and wrapping. The second
 * element is the email local part they would have been given.
 */
const LONG_NAMES: ReadonlyArray<readonly [string, string, Gender]> = [
  ['María de los Ángeles Fernández-Castillo de la Vega', 'maria.fernandez-castillo', 'f'],
  ['Pablo Diego José Francisco de Paula Juan Nepomuceno Ruiz', 'pablo.ruiz', 'm'],
  ['Mahalakshmi Venkatasubramanian Ramanathan Iyer', 'mahalakshmi.iyer', 'f'],
  ['Christopher Alexander Montgomery-Worthington III', 'chris.montgomery-worthington', 'm'],
  ['Oluwadamilare Adebayo-Ogunleye Oluwaseyi', 'damilare.adebayo-ogunleye', 'm'],
  ['Anna-Maria Leopoldine von und zu Hohenberg-Liechtenstein', 'anna-maria.hohenberg', 'f'],
  ['Ahmad Faisal bin Abdul Rahman Al-Khalidi', 'ahmad.al-khalidi', 'm'],
  ['Chaiyaphruek Srisawatdiphongpanichakul', 'chaiyaphruek.s', 'm'],
  ['Nguyễn Thị Minh Khai Phượng Hoàng Bảo Ngọc', 'ngoc.nguyen', 'f'],
  ['Keʻalohilani Kahananuikaʻaoaokalani', 'kealohilani.k', 'x'],
];

interface ParsedName {
  native: string;
  latin: string;
}
interface ParsedFamily {
  m: ParsedName;
  f: ParsedName;
}
interface ParsedCulture {
  female: ParsedName[];
  male: ParsedName[];
  family: ParsedFamily[];
  order: 'western' | 'eastern' | 'vietnamese';
  nativeShare: number;
  doubleSurname: number;
  mononym: number;
}

function parseName(entry: string): ParsedName {
  const [native, latin] = entry.split('=') as [string, string | undefined];
  return { native, latin: latin ?? native };
}

function parseFamily(entry: string): ParsedFamily {
  const [native, latin] = entry.split('=') as [string, string | undefined];
  const [nm, nf] = native.split('/') as [string, string | undefined];
  const [lm, lf] = (latin ?? native).split('/') as [string, string | undefined];
  return { m: { native: nm, latin: lm }, f: { native: nf ?? nm, latin: lf ?? lm } };
}

// Parsed on first use rather than at import: the module must have no top-level work.
let parsed: Map<CultureKey, ParsedCulture> | null = null;
function culture(key: CultureKey): ParsedCulture {
  if (!parsed) {
    parsed = new Map();
    for (const [k, c] of Object.entries(CULTURES) as Array<[CultureKey, CultureData]>) {
      parsed.set(k, {
        female: c.female.split(',').map(parseName),
        male: c.male.split(',').map(parseName),
        family: c.family.split(',').map(parseFamily),
        order: c.order ?? 'western',
        nativeShare: c.nativeShare ?? 0,
        doubleSurname: c.doubleSurname ?? 0,
        mononym: c.mononym ?? 0,
      });
    }
  }
  return parsed.get(key) as ParsedCulture;
}

const FOLD: Record<string, string> = {
  ł: 'l', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

/** Folds a Latin-script name into an email-safe slug: "Łukasz" → "lukasz", "van Dijk" → "vandijk". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łøßæœđðþı]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/['’ʻ\s]+/g, '')
    .replace(/[^a-z0-9-]+/g, '')
    .replace(/^-+|-+$/g, '');
}

// Name parts come from a small pool, so their slugs are worth remembering.
const slugCache = new Map<string, string>();
function slug(part: string): string {
  let s = slugCache.get(part);
  if (s === undefined) {
    s = slugify(part) || 'user';
    slugCache.set(part, s);
  }
  return s;
}

export interface GeneratedName {
  fullName: string;
  /** Email local part before disambiguation, e.g. "jose.garcia". */
  emailLocal: string;
  /** Romanised given and family names (for handles such as a GitHub username). */
  givenLatin: string;
  familyLatin: string;
  gender: Gender;
}

interface Random {
  next(): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

const VIETNAMESE_MIDDLE = { f: ['Thị', 'Ngọc', 'Thu'], m: ['Văn', 'Minh', 'Đức', 'Quốc'] };

export function makeName(rng: Random, key: CultureKey): GeneratedName {
  const c = culture(key);
  // A small share of people identify outside the binary; they take a name from either list.
  const roll = rng.next();
  const gender: Gender = roll < 0.02 ? 'x' : roll < 0.51 ? 'f' : 'm';
  const given = rng.pick(gender === 'f' ? c.female : gender === 'm' ? c.male : rng.chance(0.5) ? c.female : c.male);
  const familyEntry = rng.pick(c.family);
  const family = gender === 'f' ? familyEntry.f : familyEntry.m;
  const native = c.nativeShare > 0 && rng.chance(c.nativeShare);

  if (c.mononym > 0 && rng.chance(c.mononym)) {
    return { fullName: given.latin, emailLocal: slug(given.latin), givenLatin: given.latin, familyLatin: '', gender };
  }

  let fullName: string;
  if (c.order === 'vietnamese') {
    const middle = rng.pick(gender === 'f' ? VIETNAMESE_MIDDLE.f : VIETNAMESE_MIDDLE.m);
    fullName = `${family.native} ${middle} ${given.native}`;
  } else if (native && c.order === 'eastern') {
    fullName = `${family.native}${given.native}`;
  } else if (native) {
    fullName = `${given.native} ${family.native}`;
  } else {
    // Romanised names are written given-first, as colleagues abroad would know them.
    fullName = `${given.latin} ${family.latin}`;
    if (c.doubleSurname > 0 && rng.chance(c.doubleSurname)) {
      const second = rng.pick(c.family);
      if (second !== familyEntry) fullName += ` ${gender === 'f' ? second.f.latin : second.m.latin}`;
    }
  }
  return {
    fullName,
    emailLocal: `${slug(given.latin)}.${slug(family.latin)}`,
    givenLatin: given.latin,
    familyLatin: family.latin,
    gender,
  };
}

export function makeLongName(rng: Random): GeneratedName {
  const [fullName, emailLocal, gender] = rng.pick(LONG_NAMES);
  const [given = 'user', family = ''] = emailLocal.split('.');
  return { fullName, emailLocal, givenLatin: given, familyLatin: family, gender };
}
