// How a run's measurements are shown: a table for people, JSON for scripts
// (bench/compare), and an SVG chart of throughput and p99 by in-flight level.
#pragma once

#include <string>
#include <vector>

#include "latency.hpp"

namespace roster::bench {

void print_table_header();
void print_table_row(const measurement& m);
std::string to_json(const std::vector<measurement>& runs);
// False when the file cannot be written.
bool write_svg(const std::vector<measurement>& runs, const std::string& path);

}  // namespace roster::bench
