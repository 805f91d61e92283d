// Member cache entries as JSON (binary fields hex-encoded).
#include "loyalty/redis/redis_member_cache.h"

#include <nlohmann/json.hpp>

#include "loyalty/common/hex.h"

namespace loyalty {
namespace {

constexpr int kFormat = 1;  // bump when the shape changes; old entries then read as misses

}  // namespace

std::string EncodeStoredMember(const StoredMember& m) {
  const Member& p = m.profile;
  nlohmann::json j = {
      {"v", kFormat},
      {"member_id", p.member_id},
      {"card_no", p.card_no},
      {"phone_cipher", HexEncode(m.phone_cipher)},
      {"phone_index", HexEncode(m.phone_index)},
      {"name_cipher", HexEncode(m.name_cipher)},
      {"home_store_id", p.home_store_id ? nlohmann::json(*p.home_store_id) : nlohmann::json()},
      {"consents", {p.consents.sms, p.consents.email, p.consents.wechat}},
      {"tier", p.tier},
      {"erased", p.status == MemberStatus::kErased},
      {"created_us", p.created_at.time_since_epoch().count()},
      {"updated_us", p.updated_at.time_since_epoch().count()},
      {"version", p.version},
  };
  if (m.email_cipher) j["email_cipher"] = HexEncode(*m.email_cipher);
  if (m.email_index) j["email_index"] = HexEncode(*m.email_index);
  if (m.birthday_cipher) j["birthday_cipher"] = HexEncode(*m.birthday_cipher);
  return j.dump();
}

std::optional<StoredMember> DecodeStoredMember(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.at("v") != kFormat) return std::nullopt;
    auto bytes = [&](const char* field) { return HexDecode(j.at(field).get<std::string>()).value(); };
    StoredMember m;
    Member& p = m.profile;
    p.member_id = j.at("member_id");
    p.card_no = j.at("card_no");
    m.phone_cipher = bytes("phone_cipher");
    m.phone_index = bytes("phone_index");
    m.name_cipher = bytes("name_cipher");
    if (j.contains("email_cipher")) m.email_cipher = bytes("email_cipher");
    if (j.contains("email_index")) m.email_index = bytes("email_index");
    if (j.contains("birthday_cipher")) m.birthday_cipher = bytes("birthday_cipher");
    if (!j.at("home_store_id").is_null()) p.home_store_id = j.at("home_store_id");
    p.consents = Consents{j.at("consents").at(0), j.at("consents").at(1), j.at("consents").at(2)};
    p.tier = j.at("tier");
    p.status = j.at("erased").get<bool>() ? MemberStatus::kErased : MemberStatus::kActive;
    p.created_at = Instant(std::chrono::microseconds(j.at("created_us").get<int64_t>()));
    p.updated_at = Instant(std::chrono::microseconds(j.at("updated_us").get<int64_t>()));
    p.version = j.at("version");
    return m;
  } catch (const std::exception&) {
    return std::nullopt;  // a corrupt or foreign entry is a miss, never an error
  }
}

bool RedisMemberCache::Flush() {
  std::lock_guard lock(mutex_);
  for (auto it = unflushed_.begin(); it != unflushed_.end();) {
    if (!redis_.Command({"DEL", redis_.Key("member:" + *it)})) return false;
    it = unflushed_.erase(it);
  }
  return true;
}

std::optional<StoredMember> RedisMemberCache::Get(const std::string& member_id) {
  if (!Flush()) return std::nullopt;
  auto reply = redis_.Command({"GET", redis_.Key("member:" + member_id)});
  if (!reply || !reply->text) return std::nullopt;
  return DecodeStoredMember(*reply->text);
}

void RedisMemberCache::Put(const StoredMember& member) {
  if (!Flush()) return;
  redis_.Command({"SET", redis_.Key("member:" + member.profile.member_id), EncodeStoredMember(member), "EX",
                  std::to_string(ttl_.count())});
}

void RedisMemberCache::Invalidate(const std::string& member_id) {
  if (redis_.Command({"DEL", redis_.Key("member:" + member_id)})) return;
  std::lock_guard lock(mutex_);
  unflushed_.insert(member_id);
}

}  // namespace loyalty
