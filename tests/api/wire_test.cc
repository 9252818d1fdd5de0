// The wire, attacked: malformed, truncated, oversized and slow requests against the running
// server get precise errors or a closed connection, never a crash, and never stall the others.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "support/api_fixture.h"
#include "support/raw_socket.h"

namespace urbis::testing {
namespace {

using namespace std::chrono_literals;

class Wire : public ApiTest {
 protected:
  Wire() {
    server_args = {
        "--set", "server.header_timeout_ms=400", "--set", "server.body_timeout_ms=400",
        "--set", "server.idle_timeout_ms=2000",  "--set", "limits.max_body_bytes=65536",
        "--set", "limits.max_header_bytes=4096", "--set", "limits.max_target_bytes=1024"};
  }
  void expect_still_serving() {
    auto c = server_->client(5s);
    auto r = c->get("/health");
    ASSERT_TRUE(r.ok()) << server_->log();
    EXPECT_EQ(r->status, 200);
  }
};

TEST_F(Wire, GarbageIs400AndTheConnectionCloses) {
  RawSocket s(server_->port());
  s.send("HELLO THERE\r\n\r\n");
  const std::string out = s.read_until_close(3s);
  EXPECT_EQ(status_of(out), 400) << out;
  EXPECT_NE(out.find("malformed HTTP request"), std::string::npos);
  expect_still_serving();
}

TEST_F(Wire, BinaryNoiseIsRejected) {
  RawSocket s(server_->port());
  std::string noise;
  for (int i = 0; i < 256 * 64; ++i)
    noise.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  s.send(noise);
  EXPECT_TRUE(s.closed_by_peer(3s));
  expect_still_serving();
}

TEST_F(Wire, TruncatedRequestIsDroppedQuietly) {
  RawSocket s(server_->port());
  s.send("POST /ngsi-ld/v1/entities HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"id\":");
  s.shutdown_write();
  EXPECT_TRUE(s.closed_by_peer(3s));
  expect_still_serving();
  EXPECT_EQ(get("/ngsi-ld/v1/entities/urn:x:1").status, 404);
}

TEST_F(Wire, SlowHeadersAre408AfterTheHeaderTimeout) {
  RawSocket s(server_->port());
  s.send("GET /health HTTP/1.1\r\nHost: x\r\n");  // never finishes its headers
  const std::string out = s.read_until_close(5s);
  EXPECT_EQ(status_of(out), 408) << out;
  EXPECT_NE(out.find("server.header_timeout_ms"), std::string::npos);
}

TEST_F(Wire, SlowBodyIs408AfterTheBodyTimeout) {
  RawSocket s(server_->port());
  s.send(
      "POST /ngsi-ld/v1/entities HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: 50\r\n\r\n{");
  const std::string out = s.read_until_close(5s);
  EXPECT_EQ(status_of(out), 408) << out;
}

TEST_F(Wire, OversizedBodyIs413BeforeItIsRead) {
  RawSocket s(server_->port());
  s.send(
      "POST /ngsi-ld/v1/entities HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: 10000000\r\n\r\n");
  const std::string out = s.read_until("}", 3s);
  EXPECT_EQ(status_of(out), 413) << out;
  EXPECT_NE(out.find("limits.max_body_bytes"), std::string::npos);
}

TEST_F(Wire, OversizedChunkedBodyIs413) {
  RawSocket s(server_->port());
  s.send(
      "POST /ngsi-ld/v1/entities HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk(16384, 'x');
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  for (int i = 0; i < 8; ++i) {
    if (!s.send(size + chunk + "\r\n")) break;
  }
  const std::string out = s.read_until("}", 3s);
  EXPECT_EQ(status_of(out), 413) << out;
}

TEST_F(Wire, OversizedHeadersAre431AndLongTargetsAre414) {
  {
    RawSocket s(server_->port());
    s.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
    const std::string out = s.read_until_close(3s);
    EXPECT_EQ(status_of(out), 431) << out;
  }
  {
    RawSocket s(server_->port());
    s.send("GET /ngsi-ld/v1/entities/urn:x:" + std::string(2000, 'a') +
           " HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string out = s.read_until_close(3s);
    EXPECT_EQ(status_of(out), 414) << out;
  }
}

TEST_F(Wire, PipelinedRequestsAreAnsweredInOrder) {
  RawSocket s(server_->port());
  s.send(
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\nGET /ready "
      "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string out = s.read_until_close(3s);
  const auto first = out.find("HTTP/1.1 200");
  const auto second = out.find("HTTP/1.1 404");
  const auto third = out.find("HTTP/1.1 200", second);
  EXPECT_TRUE(first != std::string::npos && second != std::string::npos &&
              third != std::string::npos)
      << out;
  EXPECT_LT(first, second);
}

TEST_F(Wire, HeadAnswersCarryNoBodyAndKeepTheConnectionUsable) {
  RawSocket s(server_->port());
  s.send(
      "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: "
      "close\r\n\r\n");
  const std::string out = s.read_until_close(3s);
  const auto first_end = out.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos) << out;
  EXPECT_EQ(status_of(out), 405);
  // The next bytes are the second response, not a body of the first.
  EXPECT_EQ(out.compare(first_end + 4, 9, "HTTP/1.1 "), 0) << out;
  EXPECT_NE(out.find("{\"status\":\"ok\"}"), std::string::npos);
}

TEST_F(Wire, ExpectContinueIsHonoured) {
  RawSocket s(server_->port());
  const std::string body = R"({"id":"urn:x:c","type":"T"})";
  s.send(
      "POST /ngsi-ld/v1/entities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: "
      "100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_NE(s.read_until("\r\n\r\n", 3s).find("100 Continue"), std::string::npos);
  s.send(body);
  EXPECT_NE(s.read_until("\r\n\r\n", 3s).find("201 Created"), std::string::npos);
}

TEST_F(Wire, SlowClientsDoNotStallOthers) {
  // Twenty clients dribble a request a byte at a time; a normal client keeps being served.
  std::vector<std::unique_ptr<RawSocket>> slow;
  for (int i = 0; i < 20; ++i)
    slow.push_back(std::make_unique<RawSocket>(server_->port()));
  std::atomic<bool> stop{false};
  std::thread dribbler([&] {
    const std::string req = "GET /health HTTP/1.1\r\nHost: x\r\n";
    for (std::size_t i = 0; i < req.size() && !stop.load(); ++i) {
      for (auto& s : slow)
        s->send(std::string(1, req[i]));
      std::this_thread::sleep_for(10ms);
    }
  });
  auto c = server_->client(2s);
  for (int i = 0; i < 100; ++i) {
    auto r = c->post_json("/ngsi-ld/v1/entities",
                          R"({"id":"urn:x:)" + std::to_string(i) + R"(","type":"T"})");
    ASSERT_TRUE(r.ok()) << r.error().detail;
    EXPECT_EQ(r->status, 201);
  }
  stop.store(true);
  dribbler.join();
}

class FewConnections : public ApiTest {
 protected:
  FewConnections() { server_args = {"--set", "limits.max_connections=4"}; }
};

TEST_F(FewConnections, ConnectionsOverTheLimitGet503AndTheRestKeepWorking) {
  // The fixture's client holds one connection.
  ASSERT_EQ(get("/health").status, 200);
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawSocket>(server_->port()));
    held.back()->send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(held.back()->read_until("\r\n\r\n", 3s)), 200);
  }
  RawSocket extra(server_->port());
  const std::string out = extra.read_until_close(3s);
  EXPECT_EQ(status_of(out), 503) << out;
  EXPECT_NE(out.find("limits.max_connections"), std::string::npos);
  EXPECT_EQ(get("/health").status, 200);
  held.clear();
  // Freed slots are reusable once the server has seen the closes.
  for (int attempt = 0; attempt < 200; ++attempt) {
    RawSocket again(server_->port());
    again.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (status_of(again.read_until_close(3s)) == 200) return;
    std::this_thread::sleep_for(10ms);
  }
  FAIL() << "connections were never released";
}

}  // namespace
}  // namespace urbis::testing
