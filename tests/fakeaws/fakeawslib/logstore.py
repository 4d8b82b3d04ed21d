"""Log groups, streams and events: what CloudWatch Logs serves from.

Events are kept sorted the way FilterLogEvents returns them: timestamp,
then ingestion time, then a store-wide sequence number (standing in for
the PutLogEvents request id). An event is visible only once its ingestion
time has passed, so a delayed ingestion is really late for a reader.
"""

import bisect
import threading
import time

# A log event counts its UTF-8 bytes plus 26, per PutLogEvents' rules;
# the same sum caps a FilterLogEvents/GetLogEvents page at 1 MB.
EVENT_OVERHEAD = 26


def now_ms():
    return int(time.time() * 1000)


class Event:
    __slots__ = ("timestamp", "ingestion", "seq", "stream", "message",
                 "written", "size")

    def __init__(self, timestamp, ingestion, seq, stream, message, written):
        self.timestamp = timestamp
        self.ingestion = ingestion
        self.seq = seq
        self.stream = stream
        self.message = message
        self.written = written      # from PutLogEvents or the admin put
        self.size = len(message.encode("utf-8", "surrogatepass")) + \
            EVENT_OVERHEAD

    @property
    def key(self):
        return (self.timestamp, self.ingestion, self.seq)

    @property
    def event_id(self):
        # Real ids are 56-digit strings; these are unique by seq and sort
        # like the events do.
        return "%020d%020d%016d" % (self.timestamp, self.ingestion, self.seq)


def _key(ev):
    return ev.key


class Stream:
    def __init__(self, name, creation_time):
        self.name = name
        self.creation_time = creation_time
        self.events = []
        self.upload_seq = 1

    def visible(self, now):
        return [e for e in self.events if e.ingestion <= now]


class Group:
    def __init__(self, name, creation_time, retention=None, stored_bytes=0):
        self.name = name
        self.creation_time = creation_time
        self.retention = retention
        self.stored_bytes = stored_bytes
        self.streams = {}
        self.events = []            # every stream's, in FilterLogEvents order
        self.filters = {}           # subscription filters: name -> item

    def stream(self, name, creation_time=None):
        s = self.streams.get(name)
        if s is None:
            s = Stream(name, creation_time or now_ms())
            self.streams[name] = s
        return s


class LogStore:
    """Every account's log groups; one lock for all of them."""

    def __init__(self):
        self.lock = threading.RLock()
        self.accounts = {}          # account id -> {group name: Group}
        self.seq = 0

    def groups(self, account_id):
        return self.accounts.setdefault(account_id, {})

    def group(self, account_id, name, create=False, creation_time=None):
        groups = self.groups(account_id)
        g = groups.get(name)
        if g is None and create:
            g = Group(name, creation_time or now_ms())
            groups[name] = g
        return g

    def add(self, group, stream_name, timestamp, message, ingestion=None,
            written=False):
        with self.lock:
            self.seq += 1
            stream = group.stream(stream_name, timestamp)
            ev = Event(int(timestamp), int(ingestion if ingestion is not None
                                           else now_ms()),
                       self.seq, stream_name, message, written)
            bisect.insort(stream.events, ev, key=_key)
            bisect.insort(group.events, ev, key=_key)
            return ev
