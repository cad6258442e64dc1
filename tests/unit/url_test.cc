#include "common/url.h"

#include <gtest/gtest.h>

#include "swr/hosts.h"
#include "swr/management_client.h"

namespace swr {
namespace {

TEST(ParseUrl, ReadsSchemeHostPortPathAndQuery) {
  auto u = ParseUrl("HTTP://Swr.EU-DE.otc.t-systems.com:8443/v2/x?a=1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "swr.eu-de.otc.t-systems.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/v2/x");
  EXPECT_EQ(u->query, "a=1");
  EXPECT_EQ(u->Authority(), "swr.eu-de.otc.t-systems.com:8443");
}

TEST(ParseUrl, DefaultsToHttpsAndRejectsNonsense) {
  auto u = ParseUrl("swr.eu-de.otc.t-systems.com");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->EffectivePort(), 443);
  for (const char* bad :
       {"", "ftp://h", "https://", "https://h:0", "https://h:99999", "https://h:x", "https://u:p@h/", "https://h/#f"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseUrl(bad).ok());
  }
}

TEST(ManagementEndpoint, DerivesSwrApiHostOnlyForSwrHosts) {
  EXPECT_EQ(ManagementEndpointFor(*ParseUrl("https://swr.eu-de.otc.t-systems.com")).Origin(),
            "https://swr-api.eu-de.otc.t-systems.com");
  EXPECT_EQ(ManagementEndpointFor(*ParseUrl("http://127.0.0.1:5000")).Origin(), "http://127.0.0.1:5000");
  EXPECT_EQ(ManagementEndpointFor(*ParseUrl("https://swr.eu-ch2.sc.otc.t-systems.com")).Origin(),
            "https://swr-api.eu-ch2.sc.otc.t-systems.com");
  // Look-alikes keep their own host: no signed request goes to a derived name.
  for (const char* host : {"https://swr.eu-de.otc.t-systems.com.attacker.example", "https://swr.attacker.example",
                           "https://swr.eu-de.otc.t-systems.com.", "https://xswr.eu-de.otc.t-systems.com"}) {
    SCOPED_TRACE(host);
    auto url = *ParseUrl(host);
    EXPECT_EQ(ManagementEndpointFor(url).host, url.host);
  }
}

TEST(SwrHost, MatchesOnlyTheExactForms) {
  for (const char* good : {"swr.eu-de.otc.t-systems.com", "SWR.EU-NL.OTC.T-SYSTEMS.COM",
                           "swr.eu-ch2.sc.otc.t-systems.com", "swr.ap-southeast-1.myhuaweicloud.com",
                           "swr.eu-west-101.myhuaweicloud.eu", "swr.eu-de.otc.t-systems.com:443"}) {
    EXPECT_TRUE(IsSwrRegistryHost(good)) << good;
  }
  for (const char* bad :
       {"swr.eu-de.otc.t-systems.com.attacker.example", "swr.eu-de.otc.t-systems.com.",
        "swr-api.eu-de.otc.t-systems.com", "swr.otc.t-systems.com", "swr..otc.t-systems.com",
        "evilswr.eu-de.otc.t-systems.com", "swr.eu-de.attacker.example", "swr.eu--de.otc.t-systems.com",
        "swr.eu-de.otc.t-systems.com@attacker.example", "localhost:5000", "[::1]:5000", ""}) {
    EXPECT_FALSE(IsSwrRegistryHost(bad)) << bad;
  }
}

TEST(OrganizationName, FollowsSwrRules) {
  for (const char* good : {"a", "group", "my-org.1", "a__b"}) EXPECT_TRUE(ValidateOrganizationName(good).ok()) << good;
  for (const char* bad : {"", "1abc", "Abc", "abc-", "a--b", "a___b", "a._b", "a/b"}) {
    EXPECT_EQ(ValidateOrganizationName(bad).code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(ValidateOrganizationName(std::string(65, 'a')).ok());
}

TEST(RepositoryName, SlashesTravelAsDollar) {
  EXPECT_EQ(EncodeRepositoryName("team/app/web"), "team$app$web");
  EXPECT_EQ(EncodePathSegment("team$app"), "team$app");
  EXPECT_EQ(EncodePathSegment("a b$c"), "a%20b$c");
}

TEST(ContentRange, ParsesSwrAndHttpShapes) {
  auto r = ParseContentRange("0-100/250");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, 250);
  r = ParseContentRange("items 0-9/10");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, 10);
  r = ParseContentRange("0-9/*");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, -1);
  EXPECT_FALSE(ParseContentRange("garbage"));
  EXPECT_FALSE(ParseContentRange("1-2/x"));
}

}  // namespace
}  // namespace swr

#include "common/base64.h"

namespace swr {
namespace {

TEST(Base64, MatchesRfc4648VectorsBothWays) {
  const char* vectors[][2] = {{"", ""},
                              {"f", "Zg=="},
                              {"fo", "Zm8="},
                              {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="},
                              {"fooba", "Zm9vYmE="},
                              {"foobar", "Zm9vYmFy"}};
  for (const auto& v : vectors) {
    SCOPED_TRACE(v[0]);
    EXPECT_EQ(Base64Encode(v[0]), v[1]);
    std::string back;
    ASSERT_TRUE(Base64Decode(v[1], &back));
    EXPECT_EQ(back, v[0]);
  }
  std::string out;
  EXPECT_FALSE(Base64Decode("Zm9v!", &out));
}

}  // namespace
}  // namespace swr
