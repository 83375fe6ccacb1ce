//! PNG plots: spike rasters and x–y curves, drawn with plotters and a TrueType font from the
//! system (DejaVu Sans, Debian package `fonts-dejavu-core`).

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{anyhow, Context, Result};
use memfire_spec::format_spikes::Spike;
use memfire_spec::protocols::Table;
use plotters::prelude::*;
use plotters::style::FontStyle;

const FONT_PATHS: [&str; 3] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
];

fn ensure_font() -> Result<()> {
    static FONT: OnceLock<Result<(), String>> = OnceLock::new();
    FONT.get_or_init(|| {
        let path = FONT_PATHS.iter().find(|p| Path::new(p).exists()).ok_or_else(|| {
            format!("no font for plot labels: looked for {}; install it with `apt-get install fonts-dejavu-core` (scripts/setup.sh does)", FONT_PATHS.join(", "))
        })?;
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        // The font must live as long as plotters' global font table, i.e. the process.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).map_err(|_| format!("{path}: not a usable TrueType font"))
    })
    .clone()
    .map_err(|e| anyhow!(e))
}

fn draw_err<E: std::fmt::Display>(path: &Path) -> impl FnOnce(E) -> anyhow::Error + '_ {
    move |e| anyhow!("drawing {}: {e}", path.display())
}

/// Plots are PNG images: refuse (before any work) a file name that says otherwise.
pub fn check_png_name(flag: &str, path: &Path) -> Result<()> {
    match path.extension().and_then(|x| x.to_str()) {
        Some(x) if x.eq_ignore_ascii_case("png") => Ok(()),
        _ => anyhow::bail!(
            "{flag} {}: plots are drawn as PNG images: name the file *.png",
            path.display()
        ),
    }
}

/// A spike raster: time (ms) against neuron id.
pub fn raster(path: &Path, spikes: &[Spike], neurons: u32, steps: u64, dt: f64, title: &str) -> Result<()> {
    ensure_font()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let root = BitMapBackend::new(path, (1000, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err(path))?;
    let t_max = (steps as f64 * dt * 1e3).max(1e-3);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0.0..t_max, -0.5..(f64::from(neurons) - 0.5))
        .map_err(draw_err(path))?;
    chart
        .configure_mesh()
        .x_desc("time (ms)")
        .y_desc("neuron")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .disable_mesh()
        .draw()
        .map_err(draw_err(path))?;
    let size = if neurons > 200 { 1 } else { 2 };
    chart
        .draw_series(
            spikes
                .iter()
                .map(|s| Circle::new((s.step as f64 * dt * 1e3, f64::from(s.neuron)), size, BLACK.filled())),
        )
        .map_err(draw_err(path))?;
    root.present().map_err(draw_err(path))?;
    Ok(())
}

/// One line per series of a protocol table; NaN values are left out of the line.
pub fn table(path: &Path, t: &Table, series: &[usize]) -> Result<()> {
    ensure_font()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let points = |col: usize| -> Vec<(f64, f64)> {
        t.rows
            .iter()
            .filter(|r| r[col].is_finite())
            .map(|r| (r[0], r[col]))
            .collect()
    };
    let all: Vec<(f64, f64)> = series.iter().flat_map(|&c| points(c)).collect();
    let (mut x0, mut x1) = t.rows.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| {
        (a.min(r[0]), b.max(r[0]))
    });
    let (mut y0, mut y1) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.1), b.max(p.1)));
    if !x0.is_finite() || x0 == x1 {
        (x0, x1) = (x0.min(0.0), x0.max(0.0) + 1.0);
    }
    if !y0.is_finite() {
        (y0, y1) = (0.0, 1.0);
    }
    let pad = ((y1 - y0) * 0.08).max(1e-9);
    let root = BitMapBackend::new(path, (900, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err(path))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(&t.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, (y0 - pad).min(0.0)..(y1 + pad))
        .map_err(draw_err(path))?;
    chart
        .configure_mesh()
        .x_desc(t.labels.0.as_str())
        .y_desc(t.labels.1.as_str())
        .draw()
        .map_err(draw_err(path))?;
    for (k, &col) in series.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let pts = points(col);
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
            .map_err(draw_err(path))?
            .label(t.columns[col].as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))
            .map_err(draw_err(path))?;
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(draw_err(path))?;
    }
    root.present().map_err(draw_err(path))?;
    Ok(())
}
