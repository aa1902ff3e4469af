#include "report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

namespace roster::bench {

void print_table_header() {
  std::printf("%-13s %5s %7s %9s %10s %12s %8s %8s %8s %8s %9s %7s %10s %11s\n", "workload", "conns", "threads",
              "in_flight", "rate", "per_s", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "errors", "srv_cpu_us",
              "srv_switches");
}

void print_table_row(const measurement& m) {
  auto cpu = m.server_cpu_us_per_call();
  auto switches = m.server_switches_per_call();
  char cpu_text[32] = "-", switches_text[32] = "-";
  if (cpu >= 0) std::snprintf(cpu_text, sizeof cpu_text, "%.1f", cpu);
  if (switches >= 0) std::snprintf(switches_text, sizeof switches_text, "%.2f", switches);
  std::printf("%-13s %5u %7u %9u %10.0f %12.0f %8.0f %8.0f %8.0f %8.0f %9.0f %7llu %10s %11s\n", m.workload.c_str(),
              m.connections, m.threads, m.in_flight, m.rate, m.throughput(), m.percentile(0.5), m.percentile(0.9),
              m.percentile(0.99), m.percentile(0.999), m.percentile(1.0), static_cast<unsigned long long>(m.errors),
              cpu_text, switches_text);
  for (const auto& [code, n] : m.errors_by_code)
    std::printf("  errors: %llu %s\n", static_cast<unsigned long long>(n), std::string(to_string(code)).c_str());
  if (!m.first_error.empty()) std::printf("  first error: %s\n", m.first_error.c_str());
}

std::string to_json(const std::vector<measurement>& runs) {
  auto out = nlohmann::json::array();
  for (const auto& m : runs) {
    auto by_code = nlohmann::json::object();
    for (const auto& [code, n] : m.errors_by_code) by_code[std::string(to_string(code))] = n;
    out.push_back({{"workload", m.workload},
                   {"connections", m.connections},
                   {"threads", m.threads},
                   {"in_flight", m.in_flight},
                   {"rate", m.rate},
                   {"seconds", m.seconds},
                   {"calls", m.calls},
                   {"units", m.units},
                   {"errors", m.errors},
                   {"errors_by_code", by_code},
                   {"first_error", m.first_error},
                   {"per_second", m.throughput()},
                   // The server's CPU per call (per pair for invite_accept), null when not measured.
                   {"server_cpu_us_per_call",
                    m.server_cpu_us_per_call() < 0 ? nlohmann::json() : nlohmann::json(m.server_cpu_us_per_call())},
                   // Its threads' context switches per call, null when not measured.
                   {"server_switches_per_call",
                    m.server_switches_per_call() < 0 ? nlohmann::json() : nlohmann::json(m.server_switches_per_call())},
                   {"latency_us",
                    {{"p50", m.percentile(0.5)},
                     {"p90", m.percentile(0.9)},
                     {"p99", m.percentile(0.99)},
                     {"p999", m.percentile(0.999)},
                     {"max", m.percentile(1.0)}}}});
  }
  return out.dump(2);
}

namespace {

// One panel: a line per workload over the in-flight levels (log scale).
void panel(std::ofstream& svg, const std::map<std::string, std::vector<const measurement*>>& lines, double top,
           const char* title, double (*value)(const measurement&), const std::vector<unsigned>& levels) {
  const double width = 560, height = 300, left = 70, bottom = 40;
  static const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
  svg << "<g transform='translate(0," << top << ")'>\n";
  svg << "<text x='" << left << "' y='16' font-size='14'>" << title << "</text>\n";
  double max_value = 0;
  for (const auto& [name, points] : lines)
    for (const auto* m : points) max_value = std::max(max_value, value(*m));
  if (max_value <= 0) max_value = 1;
  auto x_of = [&](unsigned level) {
    auto index = std::find(levels.begin(), levels.end(), level) - levels.begin();
    return left + (levels.size() > 1 ? index * (width - left) / (levels.size() - 1) : (width - left) / 2);
  };
  auto y_of = [&](double v) { return height - bottom - v / max_value * (height - bottom - 30); };
  svg << "<line x1='" << left << "' y1='" << height - bottom << "' x2='" << width << "' y2='" << height - bottom
      << "' stroke='black'/>\n";
  svg << "<line x1='" << left << "' y1='30' x2='" << left << "' y2='" << height - bottom << "' stroke='black'/>\n";
  svg << "<text x='4' y='34' font-size='11'>" << static_cast<long long>(max_value) << "</text>\n";
  for (auto level : levels)
    svg << "<text x='" << x_of(level) - 6 << "' y='" << height - bottom + 16 << "' font-size='11'>" << level
        << "</text>\n";
  svg << "<text x='" << width / 2 << "' y='" << height - 6
      << "' font-size='11'>calls in flight per connection</text>\n";
  int line = 0;
  for (const auto& [name, points] : lines) {
    const char* colour = colours[line % 5];
    svg << "<polyline fill='none' stroke='" << colour << "' stroke-width='2' points='";
    for (const auto* m : points) svg << x_of(m->in_flight) << "," << y_of(value(*m)) << " ";
    svg << "'/>\n<text x='" << width + 10 << "' y='" << 40 + 16 * line << "' font-size='12' fill='" << colour << "'>"
        << name << "</text>\n";
    ++line;
  }
  svg << "</g>\n";
}

}  // namespace

bool write_svg(const std::vector<measurement>& runs, const std::string& path) {
  std::map<std::string, std::vector<const measurement*>> lines;
  std::vector<unsigned> levels;
  for (const auto& m : runs) {
    lines[m.workload].push_back(&m);
    if (std::find(levels.begin(), levels.end(), m.in_flight) == levels.end()) levels.push_back(m.in_flight);
  }
  std::sort(levels.begin(), levels.end());
  std::ofstream svg(path);
  if (!svg) return false;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='720' height='640' font-family='sans-serif'>\n";
  svg << "<rect width='100%' height='100%' fill='white'/>\n";
  panel(
      svg, lines, 0, "throughput per second (check_bulk: checks)", [](const measurement& m) { return m.throughput(); },
      levels);
  panel(
      svg, lines, 320, "p99 latency (µs)", [](const measurement& m) { return m.percentile(0.99); }, levels);
  svg << "</svg>\n";
  return static_cast<bool>(svg);
}

}  // namespace roster::bench
