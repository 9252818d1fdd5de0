#include "store/store.h"

#include <future>

namespace urbis::store {

std::string_view change_op_name(ChangeOp op) {
  switch (op) {
    case ChangeOp::kCreate:
      return "create";
    case ChangeOp::kUpdate:
      return "update";
    case ChangeOp::kReplace:
      return "replace";
    case ChangeOp::kDelete:
      return "delete";
  }
  return "unknown";
}

Status Store::write(WriteFn fn) {
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  submit(std::move(fn), [promise](const Status& s) { promise->set_value(s); });
  return future.get();
}

}  // namespace urbis::store
