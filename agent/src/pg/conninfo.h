// Connection-string checks and password hygiene: passwords must never reach
// job listings, progress views, error messages or logs (ARCHITECTURE.md).
#pragma once

#include <map>
#include <string>

namespace pgclone::agent::pg {

// Returns the connection string with every password value replaced by
// "********", keeping the rest of the text as written: keyword form
// (password=secret, password='se cret'), URI form (postgresql://u:secret@h/db,
// ?password=secret) and URIs nested as a keyword value. Never throws; a string
// libpq cannot parse is returned as a fixed placeholder, because we cannot know
// where its password is.
std::string redact_conninfo(const std::string& conninfo);

// Throws PgError("22023", "invalid connection string: <libpq's reason>") when
// PQconninfoParse rejects it. libpq's reason may quote fragments of the input;
// any fragment that could be (part of) a password is masked.
void validate_conninfo(const std::string& conninfo);

// The options a connection string sets, as libpq reads them (keyword or URI
// form, URI values percent-decoded); options it does not set are absent. A bare
// word is a database name to libpq, so it comes back as {"dbname": word}.
// Throws like validate_conninfo when libpq cannot parse the string.
std::map<std::string, std::string> conninfo_options(const std::string& conninfo);

// Removes every password of `conninfo` that appears verbatim inside `text`
// (also in its percent-encoded URI form), and any verbatim copy of the whole
// conninfo. Used on error texts before they leave the agent.
std::string scrub_secrets(const std::string& text, const std::string& conninfo);

// "<conninfo> dbname='<name>'" with the value quoted for libpq (a later
// keyword wins in libpq).
std::string conninfo_with_dbname(const std::string& conninfo, const std::string& dbname);

}  // namespace pgclone::agent::pg
