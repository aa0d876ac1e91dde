//! A small aggregate loaded and saved through `eventually_core::repository::Repository`.

use eventually_core::aggregate::{Aggregate, AggregateRootBuilder};
use eventually_core::repository::{self, Repository};
use eventually_core::store::AppendError;
use futures::future::BoxFuture;
use futures::FutureExt;
use ntm_tracker::store::{DomainEvent, StoreError, StreamName, TypedStore};
use serde::{Deserialize, Serialize};

use crate::support::store::meta;
use crate::support::TestDb;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CounterId(u32);

impl StreamName for CounterId {
    const CATEGORY: &'static str = "counter";
    fn to_id_string(&self) -> String {
        self.0.to_string()
    }
    fn parse_id(id: &str) -> Option<Self> {
        id.parse().ok().map(CounterId)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum CounterEvent {
    Incremented { by: u32 },
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> &'static str {
        "Incremented"
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a counter only goes up")]
struct CounterError;

#[derive(Clone)]
struct Counter;

impl Aggregate for Counter {
    type Id = CounterId;
    type State = u32;
    type Event = CounterEvent;
    type Command = u32;
    type Error = CounterError;

    fn apply(state: u32, event: CounterEvent) -> Result<u32, CounterError> {
        let CounterEvent::Incremented { by } = event;
        Ok(state + by)
    }

    fn handle<'a, 's: 'a>(
        &'a self,
        _id: &'s CounterId,
        _state: &'s u32,
        by: u32,
    ) -> BoxFuture<'a, Result<Option<Vec<CounterEvent>>, CounterError>> {
        let result = if by == 0 {
            Err(CounterError)
        } else {
            Ok(Some(vec![CounterEvent::Incremented { by }]))
        };
        futures::future::ready(result).boxed()
    }
}

pub async fn round_trip(db: &TestDb) {
    let store = TypedStore::<CounterId, CounterEvent>::new(db.store().await, meta());
    let mut repository = Repository::new(AggregateRootBuilder::from(Counter), store);

    let mut root = repository.get(CounterId(1)).await.expect("get");
    assert_eq!(
        (
            *root.state(),
            eventually_core::versioning::Versioned::version(&root)
        ),
        (0, 0)
    );
    root.handle(2).await.expect("handle");
    root.handle(3).await.expect("handle");
    let root = repository.add(root).await.expect("add");
    assert_eq!(eventually_core::versioning::Versioned::version(&root), 2);

    let mut loaded = repository.get(CounterId(1)).await.expect("load");
    assert_eq!(*loaded.state(), 5);
    let mut stale = repository.get(CounterId(1)).await.expect("load");
    loaded.handle(1).await.expect("handle");
    repository.add(loaded).await.expect("add");

    stale.handle(10).await.expect("handle");
    match repository.add(stale).await {
        Err(repository::Error::Store(error)) => {
            assert!(error.is_conflict_error(), "{error}");
            assert!(matches!(
                error,
                StoreError::VersionConflict {
                    expected: 2,
                    actual: 3,
                    ..
                }
            ));
        }
        other => panic!(
            "a stale root must conflict, got {:?}",
            other.map(|r| *r.state())
        ),
    }
    assert_eq!(
        *repository.get(CounterId(1)).await.expect("load").state(),
        6
    );
    assert!(
        repository.remove(CounterId(1)).await.is_err(),
        "the log is append-only"
    );
}
