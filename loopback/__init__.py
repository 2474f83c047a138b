"""Loopback fakes shared by the tests and the benchmarks.

`feed_server.FeedServer` serves recorded-format feeds and API answers (ETag/304,
slow, broken and hostile replies); `fake_slack.FakeSlack` records Web API calls
and can fail them the ways Slack does. Both listen on 127.0.0.1 only.
"""
