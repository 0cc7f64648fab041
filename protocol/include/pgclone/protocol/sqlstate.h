#pragma once
// SQLSTATE codes pgclone raises itself (server errors keep their own).

namespace pgclone::protocol::sqlstate {

inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kUnableToConnect = "08001";
inline constexpr const char* kConnectionFailure = "08006";
inline constexpr const char* kProtocolViolation = "08P01";
inline constexpr const char* kUndefinedTable = "42P01";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kDuplicateTable = "42P07";
inline constexpr const char* kDuplicateSchema = "42P06";
inline constexpr const char* kInvalidSchemaName = "3F000";
inline constexpr const char* kDuplicateDatabase = "42P04";
inline constexpr const char* kInvalidName = "42602";
inline constexpr const char* kNameTooLong = "42622";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kAdminShutdown = "57P01";
inline constexpr const char* kInsufficientPrivilege = "42501";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kDeadlockDetected = "40P01";
inline constexpr const char* kLockNotAvailable = "55P03";
inline constexpr const char* kObjectNotInPrerequisiteState = "55000";
inline constexpr const char* kInvalidAuthorization = "28000";
inline constexpr const char* kInvalidPassword = "28P01";
inline constexpr const char* kPasswordRequired = "2F003";
inline constexpr const char* kConfigurationLimitExceeded = "53400";
inline constexpr const char* kTooManyConnections = "53300";

}  // namespace pgclone::protocol::sqlstate
