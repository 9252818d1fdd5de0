#include "metrics/registry.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace urbis::metrics {
namespace {

void append_number(std::string& out, double v) {
  if (std::isinf(v)) {
    out.append(v > 0 ? "+Inf" : "-Inf");
    return;
  }
  if (std::isnan(v)) {
    out.append("NaN");
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_escaped(std::string& out, const std::string& s) {
  for (char c : s) {
    if (c == '\\')
      out.append("\\\\");
    else if (c == '"')
      out.append("\\\"");
    else if (c == '\n')
      out.append("\\n");
    else
      out.push_back(c);
  }
}

// Joins rendered labels with an extra label (for histogram "le").
std::string with_label(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i)
    buckets_[i].store(0);
}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i])
    ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  s.count = running;  // consistent with the buckets even while observations race
  return s;
}

std::vector<double> latency_buckets_seconds() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
}

std::vector<double> size_buckets() {
  return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
}

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out.push_back(',');
    first = false;
    out.append(k);
    out.append("=\"");
    append_escaped(out, v);
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Type type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.help = help;
    it->second.type = type;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");  // programmer error
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = family(name, help, Type::kCounter).counters[render_labels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = family(name, help, Type::kGauge).gauges[render_labels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               std::vector<double> bounds, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& slot = family(name, help, Type::kHistogram).histograms[render_labels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void Registry::on_scrape(std::function<void()> refresh) {
  std::lock_guard lock(mu_);
  refreshers_.push_back(std::move(refresh));
}

std::string Registry::render() const {
  std::vector<std::function<void()>> refreshers;
  {
    std::lock_guard lock(mu_);
    refreshers = refreshers_;
  }
  for (const auto& r : refreshers)
    r();

  std::lock_guard lock(mu_);
  std::string out;
  out.reserve(8192);
  for (const auto& [name, fam] : families_) {
    out.append("# HELP ").append(name).append(" ").append(fam.help).append("\n");
    out.append("# TYPE ").append(name).append(" ");
    switch (fam.type) {
      case Type::kCounter:
        out.append("counter\n");
        for (const auto& [labels, c] : fam.counters) {
          out.append(name)
              .append(labels)
              .append(" ")
              .append(std::to_string(c->value()))
              .append("\n");
        }
        break;
      case Type::kGauge:
        out.append("gauge\n");
        for (const auto& [labels, g] : fam.gauges) {
          out.append(name).append(labels).append(" ");
          append_number(out, g->value());
          out.append("\n");
        }
        break;
      case Type::kHistogram:
        out.append("histogram\n");
        for (const auto& [labels, h] : fam.histograms) {
          const auto s = h->snapshot();
          for (std::size_t i = 0; i <= s.bounds.size(); ++i) {
            std::string le = "le=\"";
            if (i < s.bounds.size()) {
              append_number(le, s.bounds[i]);
            } else {
              le.append("+Inf");
            }
            le.push_back('"');
            out.append(name).append("_bucket").append(with_label(labels, le)).append(" ");
            out.append(std::to_string(s.cumulative[i])).append("\n");
          }
          out.append(name).append("_sum").append(labels).append(" ");
          append_number(out, s.sum);
          out.append("\n");
          out.append(name).append("_count").append(labels).append(" ");
          out.append(std::to_string(s.count)).append("\n");
        }
        break;
    }
  }
  return out;
}

}  // namespace urbis::metrics
