//! A seeded generator of **synthetic** job ads.
//!
//! The article's 8,742 ads are not published, so the lab ships ads made by
//! this generator and says so everywhere (each ad has `"synthetic": true`
//! and an id starting `syn-`). The generator plants the article's claims
//! as known probabilities, so the pipeline can be checked to find them:
//!
//! - an ad that mentions Docker mentions Kubernetes (written `K8s`, `k8s`
//!   or `Kubernetes`) with probability 0.92, others with 0.30;
//! - an ad that mentions `unsafe` mentions FFI with probability 0.76,
//!   others with 0.10;
//! - `no_std` appears in 32% of the ads from 东莞 and 10% of those from
//!   北京 (the "3.2×"), 15% elsewhere.
//!
//! The random numbers come from SplitMix64, written out below: its output
//! is fixed by the algorithm, so a seed gives the same corpus on every
//! machine and with every version of every crate (the `rand` crate does not
//! promise that for its `StdRng`).

use serde_json::{Value, json};

/// SplitMix64 (Steele, Lea and Flood, 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1) from the top 53 bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.next_f64() < p
    }

    /// One item, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// The cities and their tier (the field `assoc --by city` groups by).
pub const CITIES: &[(&str, &str)] = &[
    ("北京", "tier1"),
    ("上海", "tier1"),
    ("深圳", "tier1"),
    ("杭州", "new-tier1"),
    ("东莞", "tier2"),
];

const ROLES: &[&str] = &[
    "Rust后端工程师",
    "云原生开发工程师",
    "嵌入式Rust工程师",
    "系统软件工程师",
    "Go后端开发",
];

const DUTIES: &[&str] = &[
    "负责高并发服务的设计与开发",
    "参与微服务架构演进",
    "负责固件与驱动开发",
    "优化系统性能与稳定性",
    "参与数据平台建设",
    "编写技术文档并参与代码评审",
    "负责网关与中间件研发",
];

const SKILLS: &[&str] = &[
    "Rust",
    "Go",
    "C++",
    "C#",
    "Tokio",
    "gRPC",
    "Linux",
    "PostgreSQL",
    "Redis",
    "Kafka",
    "Node.js",
    "async/.await",
    "WebAssembly",
    "TCP/IP",
    "Python",
    "Git",
];

/// One synthetic ad with the given id number.
fn ad(rng: &mut SplitMix64, n: usize) -> Value {
    let &(city, tier) = rng.pick(CITIES);
    let role = rng.pick(ROLES);
    let mut parts: Vec<String> = vec![format!("【{city}】{role}："), rng.pick(DUTIES).to_string()];
    let skills: Vec<&str> = (0..3).map(|_| *rng.pick(SKILLS)).collect();
    parts.push(format!("，熟悉{}", skills.join("、")));
    let docker = rng.chance(0.45);
    if docker {
        parts.push("，有Docker容器化经验".into());
    }
    if rng.chance(if docker { 0.92 } else { 0.30 }) {
        parts.push(format!(
            "，了解{}集群运维",
            rng.pick(&["K8s", "k8s", "Kubernetes"])
        ));
    }
    let unsafe_rust = rng.chance(0.25);
    if unsafe_rust {
        parts.push("，能正确使用unsafe".into());
    }
    if rng.chance(if unsafe_rust { 0.76 } else { 0.10 }) {
        parts.push("，有FFI与C语言互操作经验".into());
    }
    let no_std_rate = match city {
        "东莞" => 0.32,
        "北京" => 0.10,
        _ => 0.15,
    };
    if rng.chance(no_std_rate) {
        parts.push("，熟悉no_std与embedded-hal".into());
    }
    parts.push(format!("；{}年以上经验者优先。", 1 + rng.next_u64() % 5));
    json!({
        "id": format!("syn-{n:05}"),
        "city": city,
        "tier": tier,
        "synthetic": true,
        "text": parts.concat(),
    })
}

/// `count` synthetic ads from `seed`, as JSON Lines (one `\n` after each).
pub fn generate(seed: u64, count: usize) -> String {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::new();
    for n in 1..=count {
        out.push_str(&ad(&mut rng, n).to_string());
        out.push('\n');
    }
    out
}
