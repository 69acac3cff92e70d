// Example service: a tiny HTTP API.
const express = require('express');
const _ = require('lodash');
const moment = require('moment');

const app = express();
app.get('/health', (req, res) => res.json({ ok: true, at: moment().toISOString() }));
app.get('/merge', (req, res) => res.json(_.merge({}, req.query)));
app.listen(process.env.PORT || 8080);
