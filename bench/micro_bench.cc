// Micro-benchmarks of the pieces on the entity read and write paths (Google Benchmark), to
// see where a request's CPU goes. End-to-end figures come from bench/run, not from here.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "broker/entities.h"
#include "json/parse.h"
#include "json/write.h"
#include "jsonld/core_context.h"
#include "model/entity.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using namespace urbis;

std::string entity_text(int n) {
  std::ifstream in(std::string(URBIS_BENCH_DIR) + "/entity-create.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  for (std::size_t p; (p = t.find("{n}")) != std::string::npos;)
    t.replace(p, 3, std::to_string(n));
  for (std::size_t p; (p = t.find("{r}")) != std::string::npos;)
    t.replace(p, 3, "1");
  return t;
}

std::string stored_doc() {
  auto v = json::parse(entity_text(1));
  auto e = model::expand_entity(v.value(), *jsonld::core_context(), Limits{});
  model::stamp_new_entity(e.value(), "2026-11-22T00:00:00.000Z");
  return json::to_string(e.value());
}

void BM_ParseRequestBody(benchmark::State& state) {
  const std::string text = entity_text(1);
  for (auto _ : state)
    benchmark::DoNotOptimize(json::parse(text));
}
BENCHMARK(BM_ParseRequestBody);

void BM_ExpandEntity(benchmark::State& state) {
  const auto v = json::parse(entity_text(1)).value();
  const auto ctx = jsonld::core_context();
  for (auto _ : state)
    benchmark::DoNotOptimize(model::expand_entity(v, *ctx, Limits{}));
}
BENCHMARK(BM_ExpandEntity);

void BM_ParseStoredDoc(benchmark::State& state) {
  const std::string doc = stored_doc();
  for (auto _ : state)
    benchmark::DoNotOptimize(json::parse(doc));
}
BENCHMARK(BM_ParseStoredDoc);

// What a GET does with the stored form: parse it, render it (consuming the parsed tree), write it.
void BM_GetPipeline(benchmark::State& state) {
  const std::string doc = stored_doc();
  const auto ctx = jsonld::core_context();
  for (auto _ : state) {
    auto parsed = json::parse(doc);
    benchmark::DoNotOptimize(
        json::to_string(model::render_normalized(std::move(parsed.value()), *ctx, {})));
  }
}
BENCHMARK(BM_GetPipeline);

void BM_WriteJson(benchmark::State& state) {
  const auto doc = json::parse(stored_doc()).value();
  for (auto _ : state)
    benchmark::DoNotOptimize(json::to_string(doc));
}
BENCHMARK(BM_WriteJson);

void BM_StoreGetEntity(benchmark::State& state) {
  const std::string dir = std::filesystem::temp_directory_path() / "urbis-micro-bench";
  std::filesystem::remove_all(dir);
  store::sqlite::SqliteOptions o;
  o.data_dir = dir;
  auto s = store::sqlite::SqliteStore::open(o).value();
  const std::string doc = stored_doc();
  for (int i = 0; i < 20000; i += 1000) {
    (void)s->write([&, i](store::WriteTxn& t) {
      for (int k = i; k < i + 1000; ++k) {
        Status st = t.insert_entity(
            "", store::EntityRecord{"urn:ngsi-ld:Bench:" + std::to_string(k), doc, 1, 1});
        if (!st.ok()) return st;
      }
      return Status();
    });
  }
  int k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s->get_entity("", "urn:ngsi-ld:Bench:" + std::to_string(k)));
    k = (k + 7919) % 20000;
  }
  s->close();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StoreGetEntity);

}  // namespace

BENCHMARK_MAIN();
