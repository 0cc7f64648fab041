// PostgreSQL frame: pgclone.assume_role(), which the agent calls on each of
// its sessions to act as the verified caller.
//
// SET ROLE alone would not do: the clone runs code that came from the source
// (CHECK constraints, triggers, index expressions, defaults), and such code
// could RESET ROLE back to the agent's login, often a superuser. Marking the
// session as inside a local user-id change makes PostgreSQL refuse SET ROLE,
// RESET ROLE and SET SESSION AUTHORIZATION from then on (the rule that
// protects security-definer functions). The setting survives commits, and a
// rollback restores it as it was when the transaction began.
#include "pg_headers.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_assume_role);
}

extern "C" Datum pgclone_assume_role(PG_FUNCTION_ARGS) {
  const Oid role = PG_GETARG_OID(0);
  Oid current_user = InvalidOid;
  int security_context = 0;
  GetUserIdAndSecContext(&current_user, &security_context);
  if (InLocalUserIdChange() || InSecurityRestrictedOperation() || current_user != GetSessionUserId()) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("pgclone.assume_role() must be the first role change of a session"),
                    errdetail("It cannot be called twice, after SET ROLE, or inside a security-definer "
                              "function.")));
  }
  const char* name = GetUserNameFromId(role, true);
  if (name == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("role with OID %u does not exist", role)));
  }
  if (!is_member_of_role(GetSessionUserId(), role)) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("permission denied to act as role \"%s\"", name),
                    errdetail("Role \"%s\" may not SET ROLE to it.", GetUserNameFromId(GetSessionUserId(), false)),
                    errhint("The pgclone agent's login role must be a superuser or a member of every role "
                            "that clones.")));
  }
  SetUserIdAndSecContext(role, security_context | SECURITY_LOCAL_USERID_CHANGE);
  PG_RETURN_VOID();
}
