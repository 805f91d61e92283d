// Tests of the ARTS POSLog parser: the vendors' real files in ../shared/testdata/poslog (values
// read off the files by hand), synthetic variants, and hostile or malformed input.
#include "pos-adapter/poslog_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace loyalty::pos {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::string ReadTestdata(const std::string& relative) {
  std::string path = std::string(LOYALTY_SOURCE_DIR) + "/../shared/testdata/poslog/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PoslogParseResult ParseOk(std::string_view xml, const PoslogParseOptions& options = {}) {
  auto r = ParsePoslog(xml, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().slug + ": " + r.error().message);
  return r ? *r : PoslogParseResult{};
}

std::string RefusalSlug(std::string_view xml, const PoslogParseOptions& options = {}) {
  auto r = ParsePoslog(xml, options);
  if (r) return "accepted";
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_FALSE(r.error().message.empty());
  return r.error().slug;
}

std::vector<std::string> ProblemSlugs(const PoslogTransaction& t) {
  std::vector<std::string> out;
  for (const auto& p : t.problems) out.push_back(p.slug);
  return out;
}

// Every string the parse result holds, concatenated: what an importer could store or log.
std::string Dump(const PoslogParseResult& r) {
  std::ostringstream o;
  auto key = [&](const PoslogTransactionKey& k) {
    o << k.store_id << '|' << k.workstation_id << '|' << k.business_day << '|' << k.sequence_number
      << '|';
  };
  auto problems = [&](const std::vector<PoslogProblem>& ps) {
    for (const auto& p : ps) o << p.slug << '|' << p.message << '|';
  };
  auto link = [&](const PoslogTransactionLink& l) {
    key(l.original);
    o << l.transaction_id << '|' << l.reason << '|' << l.original_line_number.value_or(-1) << '|';
  };
  o << r.namespace_uri << '|';
  for (const auto& t : r.transactions) {
    key(t.key);
    o << t.transaction_id << '|' << t.end_date_time << '|' << t.operator_id << '|' << t.currency
      << '|' << t.grand_total_minor.value_or(0) << '|';
    for (const auto& l : t.lines) {
      o << l.line_number << '|' << l.sku << '|' << l.gtin << '|' << l.description << '|'
        << l.category << '|' << l.category_level << '|' << l.quantity_milli << '|'
        << l.unit_of_measure << '|' << l.net_minor << '|';
      if (l.return_of) link(*l.return_of);
    }
    for (const auto& v : t.voided_lines) o << v.line_number << '|' << v.sku << '|' << v.reason;
    for (const auto& l : t.return_links) link(l);
    if (t.member) o << t.member->source << '|' << t.member->id << '|' << t.member->masked_card;
    for (const auto& td : t.tenders) {
      o << td.tender_type << '|' << td.type_code << '|' << td.amount_minor << '|' << td.card_type
        << '|' << td.masked_card << '|';
    }
    problems(t.problems);
  }
  for (const auto& rj : r.rejected) {
    key(rj.partial_key);
    problems(rj.problems);
  }
  return o.str();
}

// A POSLog v6 document with one transaction; `lines` goes inside RetailTransaction.
std::string V6Doc(const std::string& lines, const std::string& rt_attrs = "",
                  const std::string& currency = "EUR",
                  const std::string& ns = "http://www.nrf-arts.org/IXRetail/namespace/") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<POSLog xmlns=")" +
         ns + R"(" MajorVersion="6" MinorVersion="0" FixVersion="0">
 <Transaction>
  <BusinessUnit><UnitID>S1</UnitID></BusinessUnit>
  <WorkstationID>W7</WorkstationID>
  <SequenceNumber>42</SequenceNumber>
  <OperatorID>op9</OperatorID>
  <CurrencyCode>)" +
         currency + R"(</CurrencyCode>
  <RetailTransaction)" +
         rt_attrs + R"(>
)" + lines +
         R"(
  </RetailTransaction>
  <BusinessDayDate>2025-03-01</BusinessDayDate>
  <EndDateTime>2025-03-01T10:00:00+08:00</EndDateTime>
 </Transaction>
</POSLog>)";
}

std::string SaleLine(int seq, const std::string& sku, const std::string& qty,
                     const std::string& amount, const std::string& line_attrs = "",
                     const std::string& element = "Sale", const std::string& extra = "") {
  return "<LineItem" + line_attrs + "><" + element + "><ItemID>" + sku +
         "</ItemID><ExtendedAmount>" + amount + "</ExtendedAmount><Quantity>" + qty +
         "</Quantity>" + extra + "</" + element + "><SequenceNumber>" + std::to_string(seq) +
         "</SequenceNumber></LineItem>";
}

// ---------------------------------------------------------------------------------------------
// futura-v6 (roqqio / Futura4Retail)

TEST(PoslogFutura, SaleWithCustomer) {
  auto r = ParseOk(ReadTestdata("futura-v6/sale_with_customer.xml"));
  EXPECT_EQ(r.dialect, PoslogDialect::kArtsV6);
  EXPECT_EQ(r.namespace_uri, "http://www.nrf-arts.org/IXRetail/namespace/");
  EXPECT_THAT(r.rejected, IsEmpty());
  ASSERT_EQ(r.transactions.size(), 1u);
  const PoslogTransaction& t = r.transactions[0];
  EXPECT_EQ(t.key, (PoslogTransactionKey{"100", "10001", "2024-07-31", "2"}));
  EXPECT_FALSE(t.business_day_derived);
  EXPECT_EQ(t.end_date_time, "2024-07-31T09:46:13.327Z");
  EXPECT_EQ(t.operator_id, "0");
  EXPECT_EQ(t.currency, "EUR");
  EXPECT_EQ(t.kind, PoslogTransactionKind::kSale);
  EXPECT_EQ(t.disposition, PoslogDisposition::kCompleted);
  EXPECT_FALSE(t.training_mode);
  ASSERT_EQ(t.lines.size(), 1u);
  const PoslogLine& l = t.lines[0];
  EXPECT_EQ(l.line_number, 1);
  EXPECT_EQ(l.sku, "8718824914497");
  EXPECT_EQ(l.category, "1122702");  // fu:ProductGroup: futura writes no MerchandiseHierarchy
  EXPECT_EQ(l.category_level, "ProductGroup");
  EXPECT_EQ(l.quantity_milli, 1000);
  EXPECT_EQ(l.unit_of_measure, "EA");
  EXPECT_FALSE(l.weighed);
  EXPECT_EQ(l.net_minor, 2699);  // "26.990"
  EXPECT_FALSE(l.is_return);
  EXPECT_FALSE(l.return_of.has_value());
  EXPECT_THAT(t.voided_lines, IsEmpty());
  EXPECT_THAT(t.return_links, IsEmpty());
  ASSERT_TRUE(t.member.has_value());
  EXPECT_EQ(t.member->source, "loyalty_account");
  EXPECT_EQ(t.member->id, "22000129");
  EXPECT_EQ(t.member->masked_card, "****1293");
  EXPECT_THAT(t.tenders, ElementsAre(PoslogTender{3, "Cash", "Sale", 2699, "", ""}));
  EXPECT_EQ(t.grand_total_minor, 2699);
  EXPECT_THAT(t.problems, IsEmpty());
}

TEST(PoslogFutura, ReturnWithLink) {
  auto r = ParseOk(ReadTestdata("futura-v6/retoure_with_link.xml"));
  ASSERT_EQ(r.transactions.size(), 1u);
  const PoslogTransaction& t = r.transactions[0];
  EXPECT_EQ(t.key, (PoslogTransactionKey{"100", "10001", "2024-10-15", "3570"}));
  EXPECT_EQ(t.end_date_time, "2024-10-15T09:27:02.649Z");
  EXPECT_EQ(t.kind, PoslogTransactionKind::kReturn);
  EXPECT_EQ(t.disposition, PoslogDisposition::kCompleted);
  ASSERT_EQ(t.lines.size(), 1u);
  const PoslogLine& l = t.lines[0];
  EXPECT_EQ(l.sku, "4022847522022");
  EXPECT_EQ(l.category, "8091115");
  EXPECT_TRUE(l.is_return);
  EXPECT_EQ(l.quantity_milli, -1000);  // "-1.0000"
  EXPECT_EQ(l.net_minor, -129);        // ExtendedAmount "1.290", signed by the quantity
  PoslogTransactionLink expected;
  expected.original = {"100", "10001", "2024-10-15", "3569"};
  expected.transaction_id = "3569";
  expected.original_line_number = 4;
  ASSERT_TRUE(l.return_of.has_value());
  EXPECT_EQ(*l.return_of, expected);
  EXPECT_THAT(t.return_links, ElementsAre(expected));
  EXPECT_THAT(t.tenders, ElementsAre(PoslogTender{4, "Cash", "Refund", -129, "", ""}));
  EXPECT_EQ(t.grand_total_minor, -129);
  ASSERT_TRUE(t.member.has_value());
  EXPECT_EQ(t.member->id, "22000129");
  EXPECT_THAT(t.problems, IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// visma-v6 (Visma Retail pharmacy): no BusinessDayDate, POSIdentity instead of ItemID.

struct VismaCase {
  const char* file;
  PoslogTransactionKey key;
  const char* transaction_id;
  const char* operator_id;
  const char* end;
  const char* sku;
  const char* gtin;
  const char* category;
  int64_t net_minor;
  int64_t cash_minor;  // -1: no tender
  PoslogDisposition disposition;
};

class PoslogVisma : public ::testing::TestWithParam<VismaCase> {};

TEST_P(PoslogVisma, ReadsTheReceipt) {
  const VismaCase& c = GetParam();
  auto r = ParseOk(ReadTestdata(std::string("visma-v6/") + c.file));
  EXPECT_EQ(r.dialect, PoslogDialect::kArtsV6);
  ASSERT_EQ(r.transactions.size(), 1u);
  const PoslogTransaction& t = r.transactions[0];
  EXPECT_EQ(t.key, c.key);
  EXPECT_TRUE(t.business_day_derived);
  EXPECT_EQ(t.transaction_id, c.transaction_id);
  EXPECT_EQ(t.operator_id, c.operator_id);
  EXPECT_EQ(t.end_date_time, c.end);
  EXPECT_EQ(t.currency, "SEK");
  EXPECT_EQ(t.kind, PoslogTransactionKind::kSale);
  EXPECT_EQ(t.disposition, c.disposition);
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].line_number, 1);
  EXPECT_EQ(t.lines[0].sku, c.sku);
  EXPECT_EQ(t.lines[0].gtin, c.gtin);
  EXPECT_EQ(t.lines[0].category, c.category);
  EXPECT_EQ(t.lines[0].category_level, "Group");
  EXPECT_EQ(t.lines[0].quantity_milli, 1000);                 // "1.00000"
  EXPECT_FALSE(t.lines[0].units_per_item_milli.has_value());  // Units="0.00" means unused
  EXPECT_EQ(t.lines[0].net_minor, c.net_minor);
  if (c.cash_minor < 0) {
    EXPECT_THAT(t.tenders, IsEmpty());
  } else {
    // The rounding-only Tender line (Visma's "AVRUNDNING") is not a payment.
    EXPECT_THAT(t.tenders, ElementsAre(PoslogTender{2, "Cash", "Sale", c.cash_minor, "", ""}));
  }
  EXPECT_FALSE(t.member.has_value());  // Sale/LoyaltyAccount holds points only, no account
  EXPECT_FALSE(t.grand_total_minor.has_value());
  EXPECT_THAT(t.problems, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Files, PoslogVisma,
    ::testing::Values(
        VismaCase{"arts1.xml",
                  {"3004", "1", "2019-07-22", "3619"},
                  "1907220000300457201001192000",
                  "1234",
                  "2019-07-22T15:53:21",
                  "100000",
                  "100000",
                  "610",
                  2204188,
                  2204200,
                  PoslogDisposition::kCompleted},
        VismaCase{"arts2.xml",
                  {"3004", "1", "2019-07-22", "3622"},
                  "1907220000300459942001222000",
                  "1234",
                  "2019-07-22T16:39:02",
                  "100000",
                  "100000",
                  "610",
                  19689,
                  19700,
                  PoslogDisposition::kCompleted},
        VismaCase{"arts3.xml",
                  {"3000", "10", "2019-07-22", "2536"},
                  "1907220000300061020010362000",
                  "cashierid",
                  "2019-07-22T16:57:00",
                  "100060",
                  "100060",
                  "651",
                  38415,
                  38400,
                  PoslogDisposition::kCompleted},
        // TransactionStatus="Canceled": read fully, marked cancelled; the RSID is the SKU.
        VismaCase{"arts4.xml",
                  {"3000", "37", "2019-07-22", "4"},
                  "1907220000300049014037042000",
                  "xstse04",
                  "2019-07-22T13:36:54",
                  "12302",
                  "7046265478027",
                  "271",
                  3348,
                  -1,
                  PoslogDisposition::kCancelled},
        VismaCase{"arts5.xml",
                  {"3000", "10", "2019-07-22", "2541"},
                  "1907220000300062098010412000",
                  "cashierid",
                  "2019-07-22T17:14:58",
                  "100060",
                  "100060",
                  "651",
                  7900,
                  7900,
                  PoslogDisposition::kCompleted}),
    [](const auto& info) { return std::string(info.param.file).substr(0, 5); });

// ---------------------------------------------------------------------------------------------
// ncr-acs-2x (NCR ACS, RetailTransaction Version 2.1)

TEST(PoslogNcr, SmallSample) {
  auto r = ParseOk(ReadTestdata("ncr-acs-2x/SMALL.xml"));
  EXPECT_EQ(r.dialect, PoslogDialect::kNcrAcs2x);
  EXPECT_EQ(r.skipped_non_retail, 1);  // the sign-on ControlTransaction, sequence 160
  EXPECT_THAT(r.rejected, IsEmpty());
  ASSERT_EQ(r.transactions.size(), 1u);
  const PoslogTransaction& t = r.transactions[0];
  EXPECT_EQ(t.transaction_index, 2);
  EXPECT_EQ(t.key, (PoslogTransactionKey{"9", "34", "2017-09-30", "161"}));
  EXPECT_FALSE(t.business_day_derived);
  EXPECT_EQ(t.end_date_time, "2017-10-01T02:02:54");
  EXPECT_EQ(t.operator_id, "94");
  EXPECT_EQ(t.currency, "USD");
  EXPECT_EQ(t.kind, PoslogTransactionKind::kSale);
  EXPECT_EQ(t.disposition, PoslogDisposition::kCompleted);
  ASSERT_EQ(t.lines.size(), 1u);
  const PoslogLine& l = t.lines[0];
  EXPECT_EQ(l.line_number, 1);
  EXPECT_EQ(l.sku, "00000000067591");
  EXPECT_EQ(l.gtin, "00000000067591");
  EXPECT_EQ(l.description, "APPLE HONEYCRISP ORG");
  EXPECT_EQ(l.category, "6");
  EXPECT_EQ(l.category_level, "Department");
  EXPECT_EQ(l.quantity_milli, 420);  // 0.42 (a weighed item)
  EXPECT_TRUE(l.weighed);            // acs:weightItem="true"
  EXPECT_EQ(l.net_minor, 126);
  EXPECT_THAT(t.voided_lines, IsEmpty());  // this sample has no VoidFlag lines
  ASSERT_TRUE(t.member.has_value());
  EXPECT_EQ(t.member->source, "loyalty_membership");
  EXPECT_EQ(t.member->id, "0000000000000040000066677");
  EXPECT_EQ(t.member->masked_card, "");
  EXPECT_THAT(t.tenders, ElementsAre(PoslogTender{2, "CreditDebit", "Sale", 107, "Debit", ""}));
  EXPECT_EQ(t.grand_total_minor, 107);
  EXPECT_THAT(t.problems, IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Card numbers never reach the output.

TEST(PoslogCardNumbers, NoPanFromAnyVendorFileInOutput) {
  // The only card-number elements in the shared files: futura's LoyaltyCard numbers.
  for (const char* file : {"futura-v6/sale_with_customer.xml", "futura-v6/retoure_with_link.xml",
                           "visma-v6/arts1.xml", "visma-v6/arts2.xml", "visma-v6/arts3.xml",
                           "visma-v6/arts4.xml", "visma-v6/arts5.xml", "ncr-acs-2x/SMALL.xml"}) {
    std::string xml = ReadTestdata(file);
    std::string dump = Dump(ParseOk(xml));
    for (const char* pan : {"T220001293", "220001293"}) {
      EXPECT_THAT(dump, Not(HasSubstr(pan))) << file;
    }
  }
}

TEST(PoslogCardNumbers, TenderPanIsMaskedToLastFour) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A1", "1", "10.00") + R"(
    <LineItem><Tender TenderType="CreditDebit" TypeCode="Sale">
      <Amount>10.00</Amount>
      <CreditDebit CardType="Credit">
        <PrimaryAccountNumber>4111111111111111</PrimaryAccountNumber>
        <CardNumber>4111 1111 1111 1111</CardNumber>
        <Track2Data>;4111111111111111=2512101?</Track2Data>
        <ExpirationDate>2512</ExpirationDate>
      </CreditDebit>
    </Tender><SequenceNumber>2</SequenceNumber></LineItem>
    <LineItem><Sale><ItemID>GC</ItemID><Description>Gift card 5500005555555559</Description>
      <ExtendedAmount>0</ExtendedAmount></Sale><SequenceNumber>3</SequenceNumber></LineItem>)"));
  ASSERT_EQ(r.transactions.size(), 1u);
  const auto& t = r.transactions[0];
  ASSERT_EQ(t.tenders.size(), 1u);
  EXPECT_EQ(t.tenders[0].masked_card, "****1111");
  EXPECT_EQ(t.tenders[0].card_type, "Credit");
  ASSERT_EQ(t.lines.size(), 2u);
  EXPECT_EQ(t.lines[1].description, "Gift card ****5559");
  std::string dump = Dump(r);
  EXPECT_THAT(dump, Not(HasSubstr("411111")));
  EXPECT_THAT(dump, Not(HasSubstr("4111 1111")));
  EXPECT_THAT(dump, Not(HasSubstr("550000")));
  EXPECT_THAT(dump, Not(HasSubstr("2512")));
}

// A card number typed into an amount field is refused as an amount, and the problem message
// that quotes the bad value shows only its last four digits.
TEST(PoslogCardNumbers, ACardNumberInAnAmountIsNotQuotedInProblems) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A1", "1", "4111 1111 1111 1111") +
                         SaleLine(2, "A2", "1", "4111111111111111")));
  const std::string dump = Dump(r);
  EXPECT_THAT(dump, Not(HasSubstr("4111 1111")));
  EXPECT_THAT(dump, Not(HasSubstr("411111")));
  EXPECT_THAT(dump, HasSubstr("1111"));  // the last four, so the clerk can find the receipt
}

TEST(PoslogCardNumbers, LoyaltyCardWithoutAccountIdIsNotImported) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A1", "1", "1.00") +
                         "<LoyaltyAccount><LoyaltyCard><PrimaryAccountNumber>6280001234567890"
                         "</PrimaryAccountNumber></LoyaltyCard></LoyaltyAccount>"));
  ASSERT_EQ(r.transactions.size(), 1u);
  const auto& t = r.transactions[0];
  ASSERT_TRUE(t.member.has_value());
  EXPECT_EQ(t.member->id, "");
  EXPECT_EQ(t.member->masked_card, "****7890");
  EXPECT_THAT(ProblemSlugs(t), ElementsAre("member_without_id"));
  EXPECT_THAT(Dump(r), Not(HasSubstr("628000123456")));
}

// ---------------------------------------------------------------------------------------------
// Dialects and namespaces.

TEST(PoslogDialects, BothV6NamespacesGiveTheSameTransactions) {
  std::string xml = ReadTestdata("futura-v6/retoure_with_link.xml");
  std::string v6 = xml;
  const std::string from = "http://www.nrf-arts.org/IXRetail/namespace/";
  for (std::size_t at; (at = v6.find(from)) != std::string::npos;) {
    v6.replace(at, from.size(), "http://www.nrf-arts.org/IXRetail/v6.0.0/poslog");
  }
  auto a = ParseOk(xml);
  auto b = ParseOk(v6);
  EXPECT_EQ(b.namespace_uri, "http://www.nrf-arts.org/IXRetail/v6.0.0/poslog");
  EXPECT_EQ(b.dialect, PoslogDialect::kArtsV6);
  ASSERT_EQ(b.transactions.size(), 1u);
  EXPECT_EQ(Dump(a).substr(a.namespace_uri.size()), Dump(b).substr(b.namespace_uri.size()));
}

TEST(PoslogDialects, PrefixedElementsMatchByLocalName) {
  auto r = ParseOk(R"(<p:POSLog xmlns:p="http://www.nrf-arts.org/IXRetail/namespace/">
    <p:Transaction><p:RetailStoreID>9</p:RetailStoreID><p:WorkstationID>1</p:WorkstationID>
    <p:SequenceNumber>5</p:SequenceNumber><p:BusinessDayDate>2024-01-02</p:BusinessDayDate>
    <p:CurrencyCode>CNY</p:CurrencyCode>
    <p:RetailTransaction><p:LineItem><p:Sale><p:ItemID>X</p:ItemID>
    <p:ExtendedAmount>12.34</p:ExtendedAmount><p:Quantity>2</p:Quantity></p:Sale>
    <p:SequenceNumber>1</p:SequenceNumber></p:LineItem></p:RetailTransaction>
    </p:Transaction></p:POSLog>)");
  ASSERT_EQ(r.transactions.size(), 1u);
  EXPECT_EQ(r.transactions[0].key, (PoslogTransactionKey{"9", "1", "2024-01-02", "5"}));
  ASSERT_EQ(r.transactions[0].lines.size(), 1u);
  EXPECT_EQ(r.transactions[0].lines[0].net_minor, 1234);
  EXPECT_EQ(r.transactions[0].lines[0].quantity_milli, 2000);
}

TEST(PoslogDialects, ForeignRootNamespaceIsRefused) {
  EXPECT_EQ(RefusalSlug(R"(<POSLog xmlns="http://example.com/other"><Transaction/></POSLog>)"),
            "poslog_wrong_namespace");
}

// ---------------------------------------------------------------------------------------------
// Lines: voids, returns, precision, units.

TEST(PoslogLines, VoidFlagLineIsExcludedAndReported) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A", "1", "5.00") +
                         SaleLine(2, "B", "1", "7.00", R"( VoidFlag="true")") +
                         SaleLine(3, "C", "1", "1.00", R"( CancelFlag="true")")));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].sku, "A");
  EXPECT_THAT(t.voided_lines, ElementsAre(PoslogVoidedLine{2, "B", "void_flag"},
                                          PoslogVoidedLine{3, "C", "void_flag"}));
  EXPECT_THAT(t.problems, IsEmpty());
}

TEST(PoslogLines, NcrStyleNegativeVoidLineCancelsTheEarlierLine) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A", "2", "4.00") + SaleLine(2, "B", "1", "3.00") +
                         SaleLine(3, "A", "-2", "-4.00", R"( VoidFlag="true")")));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].sku, "B");
  EXPECT_EQ(t.kind, PoslogTransactionKind::kSale);
  EXPECT_THAT(t.voided_lines, ElementsAre(PoslogVoidedLine{1, "A", "voided_by_line"},
                                          PoslogVoidedLine{3, "A", "void_flag"}));
}

TEST(PoslogLines, ReturnSignsAreNormalisedWhateverTheVendorWrote) {
  auto r = ParseOk(V6Doc(SaleLine(1, "R1", "-2", "3.00") +               // futura style
                         SaleLine(2, "R2", "2", "3.00", "", "Return") +  // ARTS Return element
                         SaleLine(3, "R3", "-2", "-3.00", "", "Return")));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.lines.size(), 3u);
  for (const auto& l : t.lines) {
    EXPECT_TRUE(l.is_return) << l.sku;
    EXPECT_EQ(l.quantity_milli, -2000) << l.sku;
    EXPECT_EQ(l.net_minor, -300) << l.sku;
  }
  EXPECT_EQ(t.kind, PoslogTransactionKind::kReturn);
}

TEST(PoslogLines, SaleAndReturnMakeAnExchange) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A", "1", "3.00") + SaleLine(2, "B", "-1", "3.00")));
  EXPECT_EQ(r.transactions.at(0).kind, PoslogTransactionKind::kMixed);
}

TEST(PoslogLines, TooPreciseAmountRejectsTheLineNeverRounds) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A", "1", "12.345") + SaleLine(2, "B", "1", "12.340")));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.lines.size(), 1u);  // "12.340" is exact: trailing zeros are fine
  EXPECT_EQ(t.lines[0].sku, "B");
  EXPECT_EQ(t.lines[0].net_minor, 1234);
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].slug, "amount_too_precise");
  EXPECT_EQ(t.problems[0].line_number, 1);
  EXPECT_THAT(t.problems[0].message, HasSubstr("12.345"));
}

TEST(PoslogLines, ExponentsAndHugeNumbersRejectTheLine) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A", "1", "1e309") + SaleLine(2, "B", "1e309", "1.00") +
                         SaleLine(3, "C", "1", "99999999999999999999") +
                         SaleLine(4, "D", "NaN", "1.00") + SaleLine(5, "E", "1", "-inf") +
                         SaleLine(6, "F", "1", "1,50") + SaleLine(7, "G", "1", "")));
  const auto& t = r.transactions.at(0);
  EXPECT_THAT(t.lines, IsEmpty());
  EXPECT_THAT(ProblemSlugs(t), ElementsAre("amount_invalid", "quantity_invalid", "amount_invalid",
                                           "quantity_invalid", "amount_invalid", "amount_invalid",
                                           "amount_invalid"));
}

TEST(PoslogLines, QuantityKeepsThreeDecimalsAndUnits) {
  auto r =
      ParseOk(V6Doc("<LineItem><Sale><ItemID>W</ItemID><ExtendedAmount>3.99</ExtendedAmount>"
                    "<Quantity UnitOfMeasureCode=\"KGM\" Units=\"1.5\">0.125</Quantity></Sale>"
                    "<SequenceNumber>1</SequenceNumber></LineItem>" +
                    SaleLine(2, "X", "0.0001", "1.00")));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].quantity_milli, 125);
  EXPECT_EQ(t.lines[0].unit_of_measure, "KGM");
  EXPECT_TRUE(t.lines[0].weighed);
  EXPECT_EQ(t.lines[0].units_per_item_milli, 1500);
  EXPECT_THAT(ProblemSlugs(t), ElementsAre("quantity_invalid"));
}

TEST(PoslogLines, PriceModifiersReduceTheNetAmount) {
  auto r = ParseOk(V6Doc(SaleLine(1, "A", "1", "10.00", "", "Sale",
                                  "<RetailPriceModifier><Amount Action=\"Subtract\">1.50</Amount>"
                                  "</RetailPriceModifier>")));
  EXPECT_EQ(r.transactions.at(0).lines.at(0).net_minor, 850);
}

TEST(PoslogLines, CurrencyDecidesTheMinorUnit) {
  auto jpy =
      ParseOk(V6Doc(SaleLine(1, "A", "1", "1200") + SaleLine(2, "B", "1", "1200.5"), "", "JPY"));
  ASSERT_EQ(jpy.transactions.at(0).lines.size(), 1u);
  EXPECT_EQ(jpy.transactions.at(0).lines[0].net_minor, 1200);
  EXPECT_THAT(ProblemSlugs(jpy.transactions[0]), ElementsAre("amount_too_precise"));
}

TEST(PoslogLines, AmountInAnotherCurrencyIsLeftOut) {
  auto r = ParseOk(V6Doc(
      "<LineItem><Sale><ItemID>A</ItemID><ExtendedAmount Currency=\"USD\">1.00</ExtendedAmount>"
      "</Sale><SequenceNumber>1</SequenceNumber></LineItem>"));
  EXPECT_THAT(r.transactions.at(0).lines, IsEmpty());
  EXPECT_THAT(ProblemSlugs(r.transactions[0]), ElementsAre("currency_mismatch"));
}

// ---------------------------------------------------------------------------------------------
// Transactions.

TEST(PoslogTransactions, MissingKeyRejectsTheTransactionOnly) {
  std::string xml = R"(<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">
    <Transaction><WorkstationID>1</WorkstationID><SequenceNumber>1</SequenceNumber>
      <BusinessDayDate>2024-01-01</BusinessDayDate><RetailTransaction/></Transaction>
    <Transaction><RetailStoreID>1</RetailStoreID><WorkstationID>1</WorkstationID>
      <SequenceNumber>2</SequenceNumber><BusinessDayDate>2024-02-30</BusinessDayDate>
      <RetailTransaction/></Transaction>
    <Transaction><RetailStoreID>1</RetailStoreID><WorkstationID>1</WorkstationID>
      <SequenceNumber>3</SequenceNumber><BusinessDayDate>2024-01-01</BusinessDayDate>
      <CurrencyCode>CNY</CurrencyCode><RetailTransaction/></Transaction>
  </POSLog>)";
  auto r = ParseOk(xml);
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0].transaction_index, 1);
  EXPECT_EQ(r.rejected[0].problems.at(0).slug, "missing_key_field");
  EXPECT_EQ(r.rejected[1].transaction_index, 2);
  EXPECT_EQ(r.rejected[1].problems.at(0).slug, "bad_business_day");
  ASSERT_EQ(r.transactions.size(), 1u);
  EXPECT_EQ(r.transactions[0].key.sequence_number, "3");
}

TEST(PoslogTransactions, StatusFlags) {
  auto post_void =
      ParseOk(V6Doc(SaleLine(1, "A", "1", "1.00"), R"( TransactionStatus="PostVoided")"));
  EXPECT_EQ(post_void.transactions.at(0).disposition, PoslogDisposition::kPostVoided);
  auto suspended =
      ParseOk(V6Doc(SaleLine(1, "A", "1", "1.00"), R"( TransactionStatus="Suspended")"));
  EXPECT_EQ(suspended.transactions.at(0).disposition, PoslogDisposition::kSuspended);
  auto cancel = ParseOk(V6Doc(SaleLine(1, "A", "1", "1.00"), R"( CancelFlag="true")"));
  EXPECT_EQ(cancel.transactions.at(0).disposition, PoslogDisposition::kCancelled);
  auto odd = ParseOk(V6Doc(SaleLine(1, "A", "1", "1.00"), R"( TransactionStatus="Weird")"));
  EXPECT_THAT(ProblemSlugs(odd.transactions.at(0)), ElementsAre("unknown_transaction_status"));
}

TEST(PoslogTransactions, TooManyLinesRejectsTheTransaction) {
  std::string lines;
  for (int i = 1; i <= 5; ++i) lines += SaleLine(i, "A", "1", "1.00");
  PoslogParseOptions options;
  options.max_line_items = 4;
  auto r = ParseOk(V6Doc(lines), options);
  EXPECT_THAT(r.transactions, IsEmpty());
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].problems.at(0).slug, "too_many_lines");
}

// ---------------------------------------------------------------------------------------------
// Whole-file refusals: malformed and hostile input.

TEST(PoslogBadInput, EmptyAndNotXml) {
  EXPECT_EQ(RefusalSlug(""), "poslog_empty");
  EXPECT_EQ(RefusalSlug(" \n\t"), "poslog_empty");
  EXPECT_EQ(RefusalSlug("this is not xml"), "poslog_not_xml");
  EXPECT_EQ(RefusalSlug("{\"json\": true}"), "poslog_not_xml");
  EXPECT_EQ(RefusalSlug("<POSLog><Transaction></POSLog>"), "poslog_not_xml");
  EXPECT_EQ(RefusalSlug("<POSLog"), "poslog_not_xml");
  EXPECT_EQ(RefusalSlug("<?xml version=\"1.0\"?>"), "poslog_not_xml");
  EXPECT_EQ(RefusalSlug(std::string("<POSLog>\0</POSLog>", 18)), "poslog_not_xml");
}

TEST(PoslogBadInput, UndeclaredEntityStaysLiteralText) {
  // pugixml expands only the five predefined entities and character references; anything else
  // is kept verbatim, never looked up.
  auto r = ParseOk(V6Doc(SaleLine(1, "&ext;&#x41;&amp;", "1", "1.00")));
  EXPECT_EQ(r.transactions.at(0).lines.at(0).sku, "&ext;A&");
}

TEST(PoslogBadInput, WrongRoot) {
  EXPECT_EQ(RefusalSlug("<html><body/></html>"), "poslog_wrong_root");
  EXPECT_EQ(RefusalSlug("<Transaction><SequenceNumber>1</SequenceNumber></Transaction>"),
            "poslog_wrong_root");
  EXPECT_EQ(RefusalSlug("<POSLogX/>"), "poslog_wrong_root");
}

TEST(PoslogBadInput, BillionLaughsDoctypeIsRefusedBeforeParsing) {
  std::string laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/"><Transaction>&lol9;</Transaction></POSLog>)";
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RefusalSlug(laughs), "poslog_doctype");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(RefusalSlug(R"(<!DOCTYPE POSLog SYSTEM "file:///etc/passwd"><POSLog/>)"),
            "poslog_doctype");
  EXPECT_EQ(RefusalSlug("<POSLog><!ENTITY x \"y\"></POSLog>"), "poslog_doctype");
}

TEST(PoslogBadInput, OverSizeLimitIsRefusedWithoutParsing) {
  std::string big = V6Doc(SaleLine(1, "A", "1", "1.00"));
  big.insert(big.find("</POSLog>"), std::string(60u * 1024 * 1024, ' '));
  EXPECT_EQ(RefusalSlug(big), "poslog_too_large");
  PoslogParseOptions small;
  small.max_input_bytes = 100;
  EXPECT_EQ(RefusalSlug(V6Doc(SaleLine(1, "A", "1", "1.00")), small), "poslog_too_large");
}

TEST(PoslogBadInput, DeepNestingIsRefused) {
  std::string deep = "<POSLog xmlns=\"http://www.nrf-arts.org/IXRetail/namespace/\">";
  constexpr int kDepth = 200000;
  for (int i = 0; i < kDepth; ++i) deep += "<a>";
  for (int i = 0; i < kDepth; ++i) deep += "</a>";
  deep += "</POSLog>";
  EXPECT_EQ(RefusalSlug(deep), "poslog_too_deep");
  // A transaction nested inside itself is deep too, and not a crash.
  std::string nested = "<POSLog>";
  for (int i = 0; i < 1000; ++i) nested += "<Transaction><RetailTransaction><LineItem><Sale>";
  for (int i = 0; i < 1000; ++i) nested += "</Sale></LineItem></RetailTransaction></Transaction>";
  nested += "</POSLog>";
  EXPECT_EQ(RefusalSlug(nested), "poslog_too_deep");
}

TEST(PoslogBadInput, TooManyTransactions) {
  std::string xml = "<POSLog>";
  for (int i = 0; i < 11; ++i) xml += "<Transaction/>";
  xml += "</POSLog>";
  PoslogParseOptions options;
  options.max_transactions = 10;
  EXPECT_EQ(RefusalSlug(xml, options), "poslog_too_many_transactions");
  auto ok = ParseOk(xml);  // default limit: all eleven are non-retail
  EXPECT_EQ(ok.skipped_non_retail, 11);
}

TEST(PoslogBadInput, TooMuchMarkupIsRefusedBeforeParsing) {
  // Tiny elements cost pugixml ~70 bytes each: 50 MiB of "<a/>" would need ~0.9 GiB.
  std::string xml = "<POSLog>";
  for (int i = 0; i < 1001; ++i) xml += "<a/>";
  xml += "</POSLog>";
  PoslogParseOptions options;
  options.max_markup = 1000;
  EXPECT_EQ(RefusalSlug(xml, options), "poslog_too_many_elements");
  options.max_markup = 1003;
  EXPECT_EQ(RefusalSlug(xml, options), "accepted");
}

TEST(PoslogBadInput, ProblemsPerTransactionAreCapped) {
  std::string lines;
  for (int i = 1; i <= 80; ++i) lines += SaleLine(i, "A", "1", "1e9");
  auto r = ParseOk(V6Doc(lines));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.problems.size(), 51u);
  EXPECT_EQ(t.problems.back().slug, "too_many_problems");
}

TEST(PoslogBadInput, HostileIdentifiersAreIgnoredNotCopied) {
  std::string long_id(5000, 'x');
  auto r = ParseOk(V6Doc(SaleLine(1, long_id, "1", "1.00") +
                         SaleLine(2, "\xC3\x28", "1", "1.00") +  // invalid UTF-8
                         SaleLine(3, "ok", "1", "1.00")));
  const auto& t = r.transactions.at(0);
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].sku, "ok");
  EXPECT_THAT(ProblemSlugs(t), ElementsAre("identifier_too_long", "missing_sku",
                                           "identifier_not_printable", "missing_sku"));
  EXPECT_THAT(Dump(r), Not(HasSubstr(long_id)));
}

// ---------------------------------------------------------------------------------------------
// Building blocks.

TEST(PoslogDecimal, ExactScaling) {
  EXPECT_EQ(ParseScaledDecimal("12.34", 2), 1234);
  EXPECT_EQ(ParseScaledDecimal("1.290", 2), 129);
  EXPECT_EQ(ParseScaledDecimal("22041.88000", 2), 2204188);
  EXPECT_EQ(ParseScaledDecimal("-1.0000", 3), -1000);
  EXPECT_EQ(ParseScaledDecimal(" +7 ", 2), 700);
  EXPECT_EQ(ParseScaledDecimal(".5", 2), 50);
  EXPECT_EQ(ParseScaledDecimal("5.", 2), 500);
  EXPECT_EQ(ParseScaledDecimal("0", 0), 0);
  EXPECT_EQ(ParseScaledDecimal("92233720368547758.07", 2), INT64_MAX);
  EXPECT_EQ(ParseScaledDecimal("-92233720368547758.07", 2), -INT64_MAX);
  EXPECT_EQ(ParseScaledDecimal("92233720368547758.08", 2).error().slug, "decimal_out_of_range");
  EXPECT_EQ(ParseScaledDecimal("12.345", 2).error().slug, "decimal_too_precise");
  for (const char* bad :
       {"", "-", ".", "1e309", "1E2", "NaN", "inf", "1,5", "0x10", "1.2.3", "--1", "1 2", "١٢"}) {
    EXPECT_EQ(ParseScaledDecimal(bad, 2).error().slug, "not_a_decimal") << bad;
  }
}

TEST(PoslogDecimal, CurrencyDigitsAndMasking) {
  EXPECT_EQ(CurrencyMinorDigits("CNY"), 2);
  EXPECT_EQ(CurrencyMinorDigits("JPY"), 0);
  EXPECT_EQ(CurrencyMinorDigits("KWD"), 3);
  EXPECT_EQ(CurrencyMinorDigits("???"), 2);
  EXPECT_EQ(MaskCardNumber("4111111111111111"), "****1111");
  EXPECT_EQ(MaskCardNumber("T220001293"), "****1293");
  EXPECT_EQ(MaskCardNumber("1234"), "****");
  EXPECT_EQ(MaskCardNumber(""), "****");
}

}  // namespace
}  // namespace loyalty::pos
