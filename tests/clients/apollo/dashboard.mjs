// The dashboard's screens through Apollo Client 3, as a frontend team runs them: automatic
// persisted queries (hash first, by GET), a normalized cache whose possible types come from
// schema/schema.graphql, each screen one request, read back from the cache afterwards. Any
// warning or error Apollo logs fails the check, as does a screen that does not read back whole.
//
//   npm ci --prefix tests/clients/apollo
//   node tests/clients/apollo/dashboard.mjs http://127.0.0.1:8080   (a server running the demo)

import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { buildSchema, isInterfaceType, isUnionType } from "graphql";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const logged = [];
for (const level of ["warn", "error"]) {
  console[level] = (...args) => logged.push(`${level}: ${args.map(String).join(" ")}`);
}

/** The implementations of every interface and union, so fragments on them match. */
function possibleTypes() {
  const path = new URL("../../../schema/schema.graphql", import.meta.url);
  const schema = buildSchema(readFileSync(path, "utf8"));
  const types = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInterfaceType(type) || isUnionType(type)) {
      types[type.name] = schema.getPossibleTypes(type).map((t) => t.name);
    }
  }
  return types;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
let requests = 0;
const counted = (input, init) => {
  requests += 1;
  return fetch(input, init);
};
const client = new ApolloClient({
  link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: `${base}/graphql`, fetch: counted }),
  ),
  cache: new InMemoryCache({ possibleTypes: possibleTypes() }),
});

const SET_2016 = "NTM-XA-2016-2020";
const SET_2021 = "NTM-XA-2021-2025";

const screens = {
  province: [
    gql`query Province($code: String!, $on: Date!) {
      locality(code: $code, on: $on) { id name code
        summary(on: $on) { on units unrecognised averageCriteriaMet atRisk pendingAcknowledgement
          levels { level units percent } bands { from to units }
          children(orderBy: CODE) { units averageCriteriaMet levels { level units percent }
            locality { id name code kind } } }
        summarySeries(from: "2016-01-01", to: $on, every: YEAR) {
          on units averageCriteriaMet levels { level units } } } }`,
    { code: "42", on: "2020-12-31" },
  ],
  heatMap: [
    gql`query HeatMap($code: String!, $on: Date!, $set: String!) {
      locality(code: $code, on: $on) { id name
        children { id name code
          standing(set: $set, on: $on) { id criteriaMet
            criteria { code nameVi status official computed } } } } }`,
    { code: "436", on: "2020-12-31", set: SET_2016 },
  ],
  timeline: [
    gql`query Timeline($code: String!, $set: String!) {
      locality(code: $code, on: "2019-06-30") { id name code endedOn
        periods { validFrom name code kind }
        successors { kind effectiveOn legalAct locality { id name } }
        standingSeries(set: $set, from: "2016-01-01", to: "2025-12-31") {
          id on exists criteriaMet levelReached recognition { level decision } }
        history(first: 20) { totalCount edges { cursor node { id position type effectiveOn } } } } }`,
    { code: "18088", set: SET_2016 },
  ],
  feed: [
    gql`query Feed {
      head { position projected }
      events(order: NEWEST_FIRST, first: 20) { totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id position type recordedAt locality { id name code }
          details { __typename } } } } }`,
    {},
  ],
  atRisk: [
    gql`query AtRisk($set: String!) {
      localities(filter: { atRisk: true, set: $set, kinds: [COMMUNE] }, first: 20,
          orderBy: { field: CRITERIA_MET }) { totalCount
        edges { cursor node { id name code
          standing(set: $set) { id atRisk criteriaMet } } } } }`,
    { set: SET_2021 },
  ],
  changes: [
    gql`query Changes($code: String!, $set: String!) {
      locality(code: $code, on: "2019-06-30") { id name
        before: standing(set: $set, on: "2017-12-31") { id on criteriaMet levelReached }
        after: standing(set: $set, on: "2019-12-31") { id on criteriaMet levelReached } } }`,
    { code: "18088", set: SET_2016 },
  ],
  search: [
    gql`query Search($text: String!) {
      localities(filter: { name: $text }, first: 10, orderBy: { field: NAME }) { totalCount
        edges { cursor node { id name code kind } } } }`,
    { text: "thach" },
  ],
};

let failed = false;
for (const [name, [query, variables]] of Object.entries(screens)) {
  const before = requests;
  const result = await client.query({ query, variables, fetchPolicy: "network-only" });
  const cached = client.readQuery({ query, variables });
  const sent = requests - before;
  const problems = [];
  if (result.errors?.length) problems.push(`errors: ${JSON.stringify(result.errors)}`);
  if (!cached) problems.push("the cache cannot read the screen back whole");
  else if (JSON.stringify(cached) !== JSON.stringify(result.data)) {
    problems.push("the cache reads back other data than the server sent");
  }
  // The first time, the link sends the hash, gets PersistedQueryNotFound, then the text.
  if (sent > 2) problems.push(`${sent} HTTP requests`);
  console.log(`${problems.length ? "FAIL" : "ok  "} ${name} (${sent} HTTP requests)`);
  for (const p of problems) console.log(`     ${p}`);
  failed ||= problems.length > 0;
}

// Again: now the server knows every hash, so each screen is one GET of the hash alone.
for (const [name, [query, variables]] of Object.entries(screens)) {
  const before = requests;
  await client.query({ query, variables, fetchPolicy: "network-only" });
  if (requests - before !== 1) {
    console.log(`FAIL ${name}: ${requests - before} HTTP requests the second time, not 1`);
    failed = true;
  }
}

for (const line of logged) console.log(`Apollo logged ${line}`);
if (failed || logged.length) process.exit(1);
console.log(`Apollo Client ran ${Object.keys(screens).length} screens twice, no warning`);
