# A stdout callback that prints each host's full task result (diff included) as one JSON
# object per line: ansible-core has no json callback (it lives in the ansible.posix collection).
import json

from ansible.module_utils.common.json import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'results_json'

    def _emit(self, result):
        self._display.display(json.dumps({'host': result._host.get_name(), 'result': result._result}, cls=AnsibleJSONEncoder))

    v2_runner_on_ok = _emit

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit(result)
